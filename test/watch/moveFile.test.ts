import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkSameFilesystem } from '../../src/watch/checkSameFilesystem.js';
import { ensureDropFolder } from '../../src/watch/dropFolder.js';
import { DropFolderError } from '../../src/watch/dropFolderError.js';
import { moveFile } from '../../src/watch/moveFile.js';

/**
 * Moves across filesystems for real: /dev/shm is a tmpfs, the temporary folder is not. Where the
 * machine has no such second filesystem, the cross-filesystem cases cannot run and are skipped.
 */
const OTHER_FS = '/dev/shm';
const otherFilesystem = existsSync(OTHER_FS) && statSync(OTHER_FS).dev !== statSync(tmpdir()).dev;
const acrossFilesystems = otherFilesystem ? test : test.skip;

let local: string;
let other: string;
beforeEach(async () => {
  local = await mkdtemp(join(tmpdir(), 'iadvize-erasure-move-'));
  other = otherFilesystem ? await mkdtemp(join(OTHER_FS, 'iadvize-erasure-move-')) : local;
});
afterEach(async () => {
  await rm(local, { recursive: true, force: true });
  await rm(other, { recursive: true, force: true });
});

describe('moveFile', () => {
  test('renames within a filesystem, replacing the destination', async () => {
    await writeFile(join(local, 'a'), 'new', 'utf8');
    await writeFile(join(local, 'b'), 'old', 'utf8');
    expect(await moveFile(join(local, 'a'), join(local, 'b'))).toBe(true);
    expect(await readdir(local)).toEqual(['b']);
    expect(await readFile(join(local, 'b'), 'utf8')).toBe('new');
  });

  test('a missing source is not an error: false (moved already, before a crash)', async () => {
    expect(await moveFile(join(local, 'gone'), join(local, 'b'))).toBe(false);
  });

  acrossFilesystems('across filesystems (EXDEV): copies, then deletes the source, leaving no draft', async () => {
    await writeFile(join(local, 'a.csv'), 'request_id,email\n', 'utf8');
    expect(await moveFile(join(local, 'a.csv'), join(other, 'a.csv'))).toBe(true);
    expect(await readdir(local)).toEqual([]);
    expect(await readdir(other)).toEqual(['a.csv']);
    expect(await readFile(join(other, 'a.csv'), 'utf8')).toBe('request_id,email\n');
  });
});

describe('checkSameFilesystem', () => {
  test('one filesystem: nothing to copy, no probe left', async () => {
    const folder = await ensureDropFolder(local);
    expect(await checkSameFilesystem(folder)).toEqual([]);
    for (const dir of [folder.inbox, folder.processing, folder.done, folder.failed]) expect(await readdir(dir)).toEqual([]);
  });

  acrossFilesystems('inbox/ on another filesystem: refused with a message naming both folders', async () => {
    await mkdir(join(other, 'inbox'));
    await symlink(join(other, 'inbox'), join(local, 'inbox'));
    const folder = await ensureDropFolder(local);
    const error = await checkSameFilesystem(folder).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DropFolderError);
    expect((error as Error).message).toContain(`inbox/ (${folder.inbox}) and processing/ (${folder.processing}) are on different filesystems`);
    expect(await readdir(folder.processing)).toEqual([]);
  });

  acrossFilesystems('done/ on another filesystem: reported, to be reached by copying', async () => {
    await mkdir(join(other, 'done'));
    await symlink(join(other, 'done'), join(local, 'done'));
    const folder = await ensureDropFolder(local);
    expect(await checkSameFilesystem(folder)).toEqual([folder.done]);
    expect(await readdir(folder.processing)).toEqual([]);
  });
});
