import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import {
  accessSync,
  chmodSync,
  constants,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  FrontError,
  NGINX_MISSING,
  OPENSSL_MISSING,
  findProgram,
  readTemplate,
  renderTemplate,
  upstreamServers,
  type FrontSettings,
} from './settings.js'

/** nginx running in the foreground over deploy/nginx.conf, with everything it writes in a temporary folder. */
export interface RunningFront {
  nginx: ChildProcess
  /** The folder holding the rendered config, pid file, temporary files and the cache. */
  runtimeDir: string
  cacheDir: string
  /** Resolves with nginx's exit code (or signal) once it has exited and the folders are gone. */
  exited: Promise<number | NodeJS.Signals | null>
  /** Graceful stop (SIGQUIT: requests in flight finish), SIGKILL after `graceMs`. */
  stop: (graceMs?: number) => Promise<number | NodeJS.Signals | null>
}

/** A self-signed certificate for localhost (and 127.0.0.1, ::1), valid 30 days. */
function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const openssl = findProgram('openssl')
  if (openssl === undefined) throw new FrontError(OPENSSL_MISSING)
  const cert = path.join(dir, 'localhost.crt')
  const key = path.join(dir, 'localhost.key')
  execFileSync(
    openssl,
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '30',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  return { cert, key }
}

/**
 * Renders deploy/nginx.conf for these settings and starts nginx in the foreground. Nothing is
 * written in the repository: the config, pid file, temporary files, cache and any self-signed
 * certificate live in folders under the OS temporary folder, removed when nginx exits.
 */
export function startFront(
  settings: FrontSettings,
  options: { accessLog?: boolean } = {},
): RunningFront {
  const nginxBinary = findProgram('nginx')
  if (nginxBinary === undefined) throw new FrontError(NGINX_MISSING)

  // Readable by nginx's workers, which run as another user when nginx starts as root.
  const runtimeDir = mkdtempSync(path.join(tmpdir(), 'front-'))
  chmodSync(runtimeDir, 0o755)
  // The key of a certificate made here stays in a folder only its owner can read: nginx's
  // master process reads it before the workers start.
  const keyDir = mkdtempSync(path.join(tmpdir(), 'front-tls-'))
  let accessLogReader: Socket | undefined
  const removeFolders = (): void => {
    accessLogReader?.destroy()
    rmSync(runtimeDir, { recursive: true, force: true })
    rmSync(keyDir, { recursive: true, force: true })
  }
  let nginx: ChildProcess
  try {
    for (const [name, file] of Object.entries(settings.tls ?? {})) {
      try {
        accessSync(file, constants.R_OK)
      } catch {
        throw new FrontError(`TLS_${name.toUpperCase()} is ${file}, which cannot be read`)
      }
    }
    const tls = settings.tls ?? selfSignedCertificate(keyDir)
    const cacheDir = path.join(runtimeDir, 'cache')
    mkdirSync(cacheDir)
    // nginx opens its access log by path, and /dev/stdout cannot be opened when stdout is a
    // socket (as it is under a process manager, or in a test). A named pipe can: its lines
    // are copied to this process's stdout. It is opened read-write and non-blocking, so that
    // opening it does not wait for nginx (which may never come: a bad certificate) and it
    // never reads as ended between writers; libuv then polls it like a socket.
    let accessLog = '/dev/null'
    if (options.accessLog !== false) {
      accessLog = path.join(runtimeDir, 'access.log')
      execFileSync(findProgram('mkfifo') ?? 'mkfifo', [accessLog])
      const fd = openSync(accessLog, constants.O_RDWR | constants.O_NONBLOCK)
      accessLogReader = new Socket({ fd, readable: true, writable: false })
      accessLogReader.pipe(process.stdout, { end: false })
    }
    const config = renderTemplate(readTemplate(), {
      FRONT_HTTP_PORT: String(settings.httpPort),
      FRONT_HTTPS_PORT: String(settings.httpsPort),
      FRONT_PUBLIC_HTTPS_PORT: String(settings.httpsPort),
      UPSTREAM_SERVERS: upstreamServers(settings.upstreams),
      TLS_CERT: path.resolve(tls.cert),
      TLS_KEY: path.resolve(tls.key),
      FRONT_RUNTIME_DIR: runtimeDir,
      FRONT_ACCESS_LOG: accessLog,
    })
    const configFile = path.join(runtimeDir, 'nginx.conf')
    writeFileSync(configFile, config)
    // -e stderr: the compiled-in error log (/var/log/nginx/error.log on most builds) is opened
    // before the config is read; -p: relative paths resolve in the runtime folder.
    nginx = spawn(
      nginxBinary,
      ['-e', 'stderr', '-p', runtimeDir, '-c', configFile, '-g', 'daemon off;'],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    )
  } catch (error) {
    removeFolders()
    if (error instanceof FrontError) throw error
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim()
    throw new FrontError(`could not start the front: ${stderr || (error as Error).message}`)
  }

  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      removeFolders()
      resolve(code ?? signal)
    }
    nginx.once('exit', done)
    nginx.once('error', (error) => {
      console.error(`front: nginx: ${error.message}`)
      removeFolders()
      resolve(1)
    })
  })
  const stop = async (graceMs = 10_000): Promise<number | NodeJS.Signals | null> => {
    if (nginx.exitCode === null && nginx.signalCode === null) {
      nginx.kill('SIGQUIT')
      const timer = setTimeout(() => nginx.kill('SIGKILL'), graceMs)
      timer.unref()
    }
    return exited
  }
  return { nginx, runtimeDir, cacheDir: path.join(runtimeDir, 'cache'), exited, stop }
}
