/** Lets the browser download `href` (same origin, cookies sent) as a file, without leaving the page. */
export function triggerDownload(href: string, fileName = '', doc: Document = document): void {
  const a = doc.createElement('a');
  a.href = href;
  a.download = fileName;
  a.style.display = 'none';
  doc.body.appendChild(a);
  a.click();
  a.remove();
}
