import { HttpException, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DataSource, IsNull } from 'typeorm';
import { RequestContext } from '../../../core/tenancy/request-context';
import type { FieldProblem } from '../../../platform/http/field-errors';
import { IngestService } from '../../recordings/ingest/ingest.service';
import { Recording } from '../../recordings/recording.entity';
import { RecordingVault } from '../../recordings/vault/recording-vault';
import { FlexdConnector } from '../connectors/connector.entity';
import { FlexdPaths } from '../flexdplayer-paths';
import { CarrierLine } from '../lines/carrier-line.entity';
import { CarrierLinesService } from '../lines/carrier-lines.service';
import { mapDelivery, MappedCall } from '../mapping/call-mapping';
import { MappingProfilesService } from '../mapping/mapping-profiles.service';
import { OpeningTestService } from '../opening-test/opening-test.service';
import { AudioPreparation, DeliveryFault, sha256File } from './audio-preparation';
import { DeliveredFile, FileStatus } from './delivered-file.entity';
import { moveDelivery, removeErrorFile, writeErrorFile } from './file-moves';

const MAX_SIDECAR_BYTES = 1024 * 1024;

export interface DeliveryFiles {
  dir: string;
  audioName: string;
  sidecarName: string | null;
  markerNames: string[];
}

export interface ImportOutcome {
  fileId: string;
  status: FileStatus;
  callId: string | null;
  reason: string | null;
}

/** Storage is down or full: the file stays where it is and a later scan tries again. */
export class ImportDeferred extends Error {
  override readonly name = 'ImportDeferred';
}

/** The idempotency key of a delivery: the carrier's call id when it gives one, else connector + content. */
export function idempotencyKey(connectorId: string, call: MappedCall, sha256: string): string {
  if (call.callId) {
    const id = /^[\x21-\x7e]{1,100}$/.test(call.callId)
      ? call.callId
      : createHash('sha256').update(call.callId).digest('hex').slice(0, 40);
    return `fdp-call:${id}`;
  }
  return `fdp:${connectorId}:${sha256}`;
}

/**
 * One delivered recording, start to end: fields from its name and sidecar (mapping profile), the
 * carrier line of its own number (unknown: quarantine), its audio decoded and stored through the
 * recording store, the stored copy read back and checked by hash; only then is the file moved to
 * done/. Anything wrong with the file moves it to failed/ with `<name>.error.json`.
 */
@Injectable()
export class FileImporter {
  private readonly logger = new Logger(FileImporter.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly context: RequestContext,
    private readonly paths: FlexdPaths,
    private readonly profiles: MappingProfilesService,
    private readonly lines: CarrierLinesService,
    private readonly audio: AudioPreparation,
    private readonly ingest: IngestService,
    private readonly vault: RecordingVault,
    private readonly openingTest: OpeningTestService,
  ) {}

  /** `row`: an earlier attempt's record (retry); `line`: the line an admin chose for a quarantined file. */
  run(
    connector: FlexdConnector,
    files: DeliveryFiles,
    row?: DeliveredFile,
    line?: CarrierLine,
  ): Promise<ImportOutcome> {
    return this.context.runAsTenant(connector.tenantId, () => this.importOne(connector, files, row, line));
  }

  private async importOne(
    connector: FlexdConnector,
    files: DeliveryFiles,
    existing?: DeliveredFile,
    chosenLine?: CarrierLine,
  ): Promise<ImportOutcome> {
    const dirs = this.paths.dirs(connector);
    const row = existing ?? this.newRow(connector, files);
    const path = join(files.dir, files.audioName);
    row.bytes = (await stat(path)).size;
    let call: MappedCall | null = null;
    try {
      const sidecar = files.sidecarName ? await this.readSidecar(files.dir, files.sidecarName) : null;
      const profile = await this.profiles.get(connector.mappingProfileId);
      const mapped = mapDelivery(profile, files.audioName, sidecar);
      row.parsed = JSON.stringify(mapped.call ?? mapped.found);
      if (!mapped.call)
        return await this.fail(row, files, dirs.failed, 'the file name or sidecar could not be read', mapped.errors);
      call = mapped.call;
      row.ownNumber = call.ownE164 ?? call.ownNumber;
      const line = chosenLine ?? (call.ownE164 ? await this.lines.byNumber(connector.tenantId, call.ownE164) : null);
      if (!line) return await this.quarantine(row, files, dirs.quarantine, call);
      row.sha256 = await sha256File(path);
      const key = idempotencyKey(connector.id, call, row.sha256);
      const before = await this.ingest.storedResult(key);
      if (before) return await this.finish(row, files, dirs.done, 'duplicate', before.callId);
      const callId = await this.store(connector, path, dirs.work, key, call, line);
      if ((await sha256File(path)) !== row.sha256)
        throw new DeliveryFault(`the file changed while it was imported (call ${callId} holds what was read)`);
      await this.openingTest.noteValidFile(connector.tenantId, files.audioName, new Date());
      return await this.finish(row, files, dirs.done, 'imported', callId);
    } catch (error) {
      if (error instanceof DeliveryFault) {
        return this.fail(row, files, dirs.failed, error.message, [{ field: error.field, message: error.message }]);
      }
      throw error;
    }
  }

  /** Stores the call, checks the stored copy by hash, and gives it to the line's user. */
  private async store(
    connector: FlexdConnector,
    path: string,
    workDir: string,
    key: string,
    call: MappedCall,
    line: CarrierLine,
  ): Promise<string> {
    const prepared = await this.audio.prepare(path, workDir);
    try {
      const mobile = { number: call.ownNumber };
      const other = { number: call.otherNumber };
      const ended =
        call.durationSeconds === null ? undefined : new Date(call.startedAt.getTime() + call.durationSeconds * 1000);
      const meta = this.ingest.parseMetadata(
        JSON.stringify({
          clientRecordingId: key,
          source: 'flexdplayer',
          lineId: line.id,
          direction: call.direction,
          caller: call.direction === 'outbound' ? mobile : other,
          callee: call.direction === 'outbound' ? other : mobile,
          startedAt: call.startedAt.toISOString(),
          answeredAt: call.startedAt.toISOString(),
          ...(ended ? { endedAt: ended.toISOString() } : {}),
          disposition: 'answered',
          codec: prepared.codec,
          sha256: prepared.sha256,
          ...(call.callId ? { notes: `carrier call id: ${call.callId}` } : {}),
        }),
      );
      let result;
      try {
        result = await this.ingest.store(meta, prepared.open());
      } catch (error) {
        if (!(error instanceof HttpException)) throw error;
        if (error.getStatus() >= 500) throw new ImportDeferred(error.message);
        throw new DeliveryFault(error.message);
      }
      if (!result.duplicate) await this.verifyStored(connector.tenantId, result.recordingId);
      const update: Record<string, unknown> = {};
      if (line.userId) update['userId'] = line.userId;
      if (call.durationSeconds === null) {
        // Duration not given by the carrier: the audio's own length decides when the call ended.
        update['endedAt'] = new Date(call.startedAt.getTime() + result.durationMs);
        update['talkSeconds'] = Math.round(result.durationMs / 1000);
      }
      if (Object.keys(update).length) {
        await this.dataSource
          .createQueryBuilder()
          .update('calls')
          .set(update)
          .where({ id: result.callId, tenantId: connector.tenantId, ...(line.userId ? { userId: IsNull() } : {}) })
          .execute();
      }
      return result.callId;
    } finally {
      await prepared.cleanup();
    }
  }

  /** Reads the stored recording back through the vault (decrypting it) and compares its hash. */
  private async verifyStored(tenantId: string, recordingId: string): Promise<void> {
    const recording = await this.dataSource
      .getRepository(Recording)
      .findOneOrFail({ where: { id: recordingId, tenantId } });
    const hash = createHash('sha256');
    await pipeline(await this.vault.read(tenantId, recording), hash);
    const got = hash.digest('hex');
    if (got !== recording.sha256) {
      throw new ImportDeferred(`stored recording ${recordingId} reads back as ${got}, expected ${recording.sha256}`);
    }
  }

  private async readSidecar(dir: string, name: string) {
    const info = await stat(join(dir, name));
    if (info.size > MAX_SIDECAR_BYTES) throw new DeliveryFault(`${name} is larger than 1 MiB`, 'sidecar');
    return { name, content: await readFile(join(dir, name)) };
  }

  private newRow(connector: FlexdConnector, files: DeliveryFiles): DeliveredFile {
    const now = new Date();
    return this.dataSource.getRepository(DeliveredFile).create({
      id: randomUUID(),
      tenantId: connector.tenantId,
      connectorId: connector.id,
      fileName: files.audioName.slice(0, 255),
      storedName: files.audioName.slice(0, 255),
      sidecarName: files.sidecarName,
      status: 'retrying',
      reason: null,
      sha256: null,
      bytes: null,
      ownNumber: null,
      parsed: null,
      callId: null,
      createdAt: now,
      updatedAt: now,
    });
  }

  private async place(row: DeliveredFile, files: DeliveryFiles, to: string): Promise<void> {
    if (files.dir !== to) {
      await removeErrorFile(files.dir, files.audioName);
      const moved = await moveDelivery(files.dir, to, {
        audio: files.audioName,
        sidecar: files.sidecarName,
        markers: files.markerNames,
      });
      row.storedName = moved.audio;
      row.sidecarName = moved.sidecar;
    }
  }

  private async finish(row: DeliveredFile, files: DeliveryFiles, done: string, status: FileStatus, callId: string) {
    await removeErrorFile(files.dir, files.audioName);
    await this.place(row, files, done);
    return this.save(row, { status, callId, reason: null });
  }

  private async quarantine(row: DeliveredFile, files: DeliveryFiles, dir: string, call: MappedCall) {
    await this.place(row, files, dir);
    const reason = `${call.ownE164 ?? call.ownNumber} is not a carrier line of this tenant`;
    return this.save(row, { status: 'quarantined', reason });
  }

  private async fail(row: DeliveredFile, files: DeliveryFiles, dir: string, reason: string, errors: FieldProblem[]) {
    await this.place(row, files, dir);
    const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ') || reason;
    await writeErrorFile(dir, row.storedName, { file: row.fileName, sidecar: row.sidecarName, reason: detail, errors });
    this.logger.warn(`connector ${row.connectorId}: ${row.fileName} failed: ${detail}`);
    return this.save(row, { status: 'failed', reason: detail });
  }

  private async save(row: DeliveredFile, change: Partial<DeliveredFile>): Promise<ImportOutcome> {
    Object.assign(row, change, { updatedAt: new Date() });
    await this.dataSource.getRepository(DeliveredFile).save(row);
    return { fileId: row.id, status: row.status, callId: row.callId, reason: row.reason };
  }
}
