/**
 * Saving a Blob the browser way: a download of `name`. One helper for every file the app
 * hands to the person (bundles, predictions, drift reports, backups without a save picker).
 * The object URL is released a minute later, long enough for a large backup to be taken.
 */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
