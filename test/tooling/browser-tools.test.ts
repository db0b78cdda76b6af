import { describe, expect, it } from 'vitest'
import {
  CHROMIUM_ARGS,
  checkJava,
  findChromium,
  MissingTool,
  type Lookup,
} from '../e2e/support/tools.js'

/** How the browser suite finds Chromium and Java (test/e2e/support/global-setup.ts uses it once). */
function lookup(over: Partial<Lookup> & { executables?: string[] } = {}): Lookup {
  const executables = new Set(over.executables ?? [])
  return {
    env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
    platform: 'linux',
    arch: 'x64',
    isExecutable: (file) => executables.has(file),
    bundled: () =>
      Promise.resolve({
        executablePath: '/tmp/chromium',
        args: ['--single-process', '--disable-web-security', '--no-zygote', '--headless=shell'],
      }),
    ...over,
  }
}

describe('findChromium', () => {
  it('takes CHROMIUM_PATH first, and says so when it is not a program', async () => {
    const found = await findChromium(
      lookup({
        env: { CHROMIUM_PATH: '/opt/chrome/chrome', PATH: '/usr/bin' },
        executables: ['/opt/chrome/chrome', '/usr/bin/chromium'],
      }),
    )
    expect(found).toMatchObject({ executablePath: '/opt/chrome/chrome', args: CHROMIUM_ARGS })
    await expect(
      findChromium(lookup({ env: { CHROMIUM_PATH: '/nope' }, executables: ['/usr/bin/chromium'] })),
    ).rejects.toThrowError(/CHROMIUM_PATH is \/nope/)
  })

  it('then /usr/bin/chromium, then chromium or google-chrome on PATH', async () => {
    const path = async (executables: string[]) =>
      (await findChromium(lookup({ executables }))).executablePath
    expect(await path(['/usr/bin/chromium', '/usr/local/bin/chromium'])).toBe('/usr/bin/chromium')
    expect(await path(['/usr/local/bin/chromium', '/bin/google-chrome'])).toBe(
      '/usr/local/bin/chromium',
    )
    expect(await path(['/bin/google-chrome'])).toBe('/bin/google-chrome')
  })

  it('else the Chromium inside @sparticuz/chromium, without the flags that would change what is tested', async () => {
    const found = await findChromium(lookup())
    expect(found).toEqual({
      executablePath: '/tmp/chromium',
      args: ['--no-zygote', '--headless=shell'],
      source: '@sparticuz/chromium',
    })
  })

  it('on a platform @sparticuz/chromium does not support, fails with one line saying what to install', async () => {
    for (const [platform, arch] of [
      ['darwin', 'arm64'],
      ['linux', 'arm64'],
      ['win32', 'x64'],
    ] as const) {
      const error = await findChromium(lookup({ platform, arch })).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(MissingTool)
      const { message, stack } = error as MissingTool
      expect(message).toContain(`${platform} ${arch}`)
      expect(message).toContain('apt-get install chromium')
      expect(message).not.toContain('\n')
      expect(stack).toBe(`MissingTool: ${message}`)
    }
  })

  it('says the same when the bundled Chromium cannot be unpacked', async () => {
    const bundled = () => Promise.reject(new Error('ENOSPC: no space left on device'))
    await expect(findChromium(lookup({ bundled }))).rejects.toThrowError(
      /could not be unpacked \(ENOSPC.*apt-get install chromium/,
    )
  })
})

describe('checkJava', () => {
  it('passes when java runs, and names the package to install when it does not', () => {
    expect(() => checkJava(() => undefined)).not.toThrow()
    expect(() =>
      checkJava(() => {
        throw new Error('spawn java ENOENT')
      }),
    ).toThrowError(/needs Java 11 or later: install default-jre-headless/)
  })
})
