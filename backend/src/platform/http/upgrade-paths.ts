// The HTTP server's WebSocket upgrades are shared by several handlers (the capture's event stream,
// the popup's Socket.IO), each listening to every 'upgrade'. A handler that does not own a path leaves
// it alone; one that owns none of the claimed paths is answered 404 rather than left hanging.

const claimed = new Set<string>();

/** Declares that a handler of this process answers upgrades under `prefix` (e.g. "/socket.io/"). */
export function claimUpgradePath(prefix: string): void {
  claimed.add(prefix);
}

export function upgradePathClaimed(pathname: string): boolean {
  for (const prefix of claimed) if (pathname.startsWith(prefix)) return true;
  return false;
}
