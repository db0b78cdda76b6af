import { parentPort, workerData } from 'node:worker_threads'
import { parseFiles, type StoryFileRef } from './story-files.js'

/**
 * A worker thread of story-files.ts: loads each batch of story files it is sent. With
 * `serialized`, stories come back as V8-serialised bytes (transferred, not copied), which the
 * main thread both reads and appends to the content cache.
 */
const { yearNow, serialized } = workerData as { yearNow: number; serialized: boolean }
parentPort?.on('message', (batch: StoryFileRef[]) => {
  const parsed = parseFiles(batch, yearNow, serialized)
  const transfer: ArrayBuffer[] = []
  for (const p of parsed) {
    const b = p.bytes
    if (b && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength) {
      transfer.push(b.buffer as ArrayBuffer)
    }
  }
  parentPort?.postMessage(parsed, transfer)
})
