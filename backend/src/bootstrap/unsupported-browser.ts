import type { NextFunction, Request, Response } from 'express';

/** Internet Explorer 11 says Trident/7.0; older ones MSIE. Edge in IE mode also sends Trident/. */
const INTERNET_EXPLORER = /Trident\/|MSIE /;

/**
 * The page Internet Explorer gets instead of the app, which it cannot run. Plain HTML with inline
 * styles only (the CSP allows inline styles, no scripts), Japanese first, then English.
 */
export const UNSUPPORTED_BROWSER_PAGE = `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>非対応のブラウザー / Unsupported browser</title>
</head>
<body style="margin:0;background:#f5f5f5">
<div style="max-width:640px;margin:64px auto;padding:24px 32px;border:1px solid #ccc;border-radius:8px;background:#fff;font-family:Meiryo,'Yu Gothic UI',sans-serif;line-height:1.7;color:#222">
<h1 style="font-size:20px">Internet Explorer には対応していません</h1>
<p>お使いのブラウザー（Internet Explorer）では、この通話録音システムをご利用いただけません。Microsoft Edge、Google Chrome、Mozilla Firefox の最新版でアクセスしてください。</p>
<hr style="border:0;border-top:1px solid #ddd;margin:24px 0">
<div lang="en">
<h2 style="font-size:18px">Internet Explorer is not supported</h2>
<p>This call-recording system cannot be used with Internet Explorer. Please open it in a current version of Microsoft Edge, Google Chrome or Mozilla Firefox.</p>
</div>
</div>
</body>
</html>
`;

/**
 * Answers Internet Explorer's page requests (GET/HEAD of anything but the API that accepts HTML)
 * with the notice above, before the SPA's index.html would load scripts IE cannot parse. The API
 * answers IE like any client, and `Vary: User-Agent` keeps caches from handing the notice to others.
 */
export function unsupportedBrowserPage() {
  return (req: Request, res: Response, next: NextFunction) => {
    res.vary('User-Agent');
    const page =
      (req.method === 'GET' || req.method === 'HEAD') &&
      !req.path.startsWith('/api/') &&
      (req.headers.accept ?? '').includes('text/html');
    if (!page || !INTERNET_EXPLORER.test(req.headers['user-agent'] ?? '')) return next();
    res.status(200).type('html').setHeader('Cache-Control', 'no-store');
    res.send(UNSUPPORTED_BROWSER_PAGE);
  };
}
