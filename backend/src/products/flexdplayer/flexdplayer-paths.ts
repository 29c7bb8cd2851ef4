import { Inject, Injectable } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

export interface ConnectorDirs {
  /** Where deliveries arrive and are scanned. */
  scan: string;
  done: string;
  failed: string;
  quarantine: string;
  /** Scratch space (decoding, uploads in flight); never scanned. */
  work: string;
}

/** Folders the pipeline keeps inside a scanned folder: never scanned themselves. */
export const KEPT_FOLDERS = ['done', 'failed', 'quarantine'];

/**
 * Where FlexDPlayer keeps deliveries: `<DATA_DIR>/flexdplayer/<tenantId>/<connectorId>/inbox/`
 * (SFTP drop, SFTP pull and HTTPS push write there) with done/, failed/ and quarantine/ beside it.
 * A watched folder keeps those three inside itself, where the people who fill it can see them.
 */
@Injectable()
export class FlexdPaths {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get root(): string {
    return join(this.config.dataDir, 'flexdplayer');
  }

  connectorDir(tenantId: string, connectorId: string): string {
    return join(this.root, tenantId, connectorId);
  }

  inbox(tenantId: string, connectorId: string): string {
    return join(this.connectorDir(tenantId, connectorId), 'inbox');
  }

  dirs(c: { tenantId: string; id: string; type: string; settings: string }): ConnectorDirs {
    const own = this.connectorDir(c.tenantId, c.id);
    const scan = c.type === 'folder' ? (JSON.parse(c.settings) as { path: string }).path : join(own, 'inbox');
    const kept = c.type === 'folder' ? scan : own;
    return {
      scan,
      done: join(kept, 'done'),
      failed: join(kept, 'failed'),
      quarantine: join(kept, 'quarantine'),
      work: join(own, 'work'),
    };
  }
}
