/** Offers a file to save, as the browser's download does, from an object or data URL. */
export function saveUrl(url: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
}

/** Offers text as a file to save (a CSV template, a table's export); the URL is released once saved. */
export function saveText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  saveUrl(url, fileName);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
