import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { FlexdConnector } from '../connectors/connector.entity';
import { FlexdPaths } from '../flexdplayer-paths';
import { CarrierLine } from '../lines/carrier-line.entity';
import { ConnectorScans } from './connector-scans';
import { DeliveredFile } from './delivered-file.entity';
import { ImportOutcome } from './file-importer';
import { FileImporter } from './file-importer';

/**
 * Brings held files back: a failed file retried, a quarantined file imported for a line an admin
 * chose, or every quarantined file of a number once that number becomes a line.
 */
@Injectable()
export class QuarantineRelease {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly paths: FlexdPaths,
    private readonly importer: FileImporter,
    private readonly scans: ConnectorScans,
  ) {}

  /** Imports the file of a failed or quarantined row again, from where it is kept. */
  async again(row: DeliveredFile, line?: CarrierLine): Promise<ImportOutcome> {
    const connector = await this.dataSource
      .getRepository(FlexdConnector)
      .findOneOrFail({ where: { id: row.connectorId, tenantId: row.tenantId } });
    const dirs = this.paths.dirs(connector);
    const dir = row.status === 'quarantined' ? dirs.quarantine : dirs.failed;
    return this.scans.exclusive(connector.id, () =>
      this.importer.run(
        connector,
        { dir, audioName: row.storedName, sidecarName: row.sidecarName, markerNames: [] },
        row,
        line,
      ),
    );
  }

  /** Imports the quarantined files whose own number is this new line's; returns how many went in. */
  async forLine(line: CarrierLine): Promise<number> {
    const held = await this.dataSource.getRepository(DeliveredFile).find({
      where: { tenantId: line.tenantId, status: 'quarantined', ownNumber: line.e164 },
      order: { createdAt: 'ASC' },
    });
    let imported = 0;
    for (const row of held) {
      const outcome = await this.again(row, line);
      if (outcome.status === 'imported' || outcome.status === 'duplicate') imported++;
    }
    return imported;
  }
}
