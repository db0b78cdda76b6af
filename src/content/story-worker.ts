import { parentPort, workerData } from 'node:worker_threads'
import { parseFiles, type StoryFileRef } from './story-files.js'

/** A worker thread of story-files.ts: loads each batch of story files it is sent. */
const { yearNow } = workerData as { yearNow: number }
parentPort?.on('message', (batch: StoryFileRef[]) => {
  parentPort?.postMessage(parseFiles(batch, yearNow))
})
