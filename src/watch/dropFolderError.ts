/** A drop folder the watcher cannot work in safely: exit 1, the message names the folders. */
export class DropFolderError extends Error {
  override readonly name = 'DropFolderError';
}
