/** Handing bytes to the user as a download: every export in the app goes through here. */

/** Let the browser save `data` as `file`. */
export function downloadBytes(file: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download holds its own reference once started; the URL is only needed for the click.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
