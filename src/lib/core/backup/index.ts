/**
 * Backup and restore of the whole workspace: the archive format and zip
 * writer/reader, what refers to what, storage health, and files handed to
 * the installed app by the operating system.
 */
export * from './backup-format';
export * from './backup-refs';
export * from './backup-zip';
export * from './launch-files';
export * from './storage-health';
