// Composition root of the database schema: every entity and every migration, in order.
// The app, the migration CLI and the tests all take their lists from here.
import { ApiKey } from './core/auth/api-key.entity';
import { RefreshToken } from './core/auth/refresh-token.entity';
import { AuditEntry } from './core/audit/audit-entry.entity';
import { SystemSetting } from './core/setup/system-setting.entity';
import { Tenant } from './core/tenancy/tenant.entity';
import { User } from './core/users/user.entity';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { RecordingStore1764100000000 } from './migrations/1764100000000-recording-store';
import { SearchIndexes1764150000000 } from './migrations/1764150000000-search-indexes';
import { TenantKey } from './core/tenancy/tenant-key.entity';
import { Call } from './products/recordings/call.entity';
import { CallTag } from './products/recordings/call-tag.entity';
import { Recording } from './products/recordings/recording.entity';
import { Job } from './core/jobs/job.entity';
import { PendingObjectDeletion } from './products/recordings/deletion/pending-object-deletion.entity';
import { RecordingUsage } from './products/recordings/retention/recording-usage.entity';
import { PendingObjectDeletions1764450000000 } from './migrations/1764450000000-pending-object-deletions';
import { SupportGrant } from './core/support/support-grant.entity';
import { UserExtension } from './core/users/user-extension.entity';
import { UserExtensions1764600000000 } from './migrations/1764600000000-user-extensions';
import { SupportGrants1764400000000 } from './migrations/1764400000000-support-grants';
import { RecordingPolicy } from './products/recordings/policy/recording-policy.entity';
import { JobsAndRecordingPolicies1764200000000 } from './migrations/1764200000000-jobs-and-recording-policies';
import { UploadSession } from './products/recordings/ingest/upload-session.entity';
import { UploadSegment } from './products/recordings/ingest/upload-segment.entity';
import { UploadSessions1764300000000 } from './migrations/1764300000000-upload-sessions';
import { FlexlogSite } from './products/flexlog/sites/site.entity';
import { SiteHealth } from './products/flexlog/health/site-health.entity';
import { HeartbeatMinute } from './products/flexlog/health/heartbeat-minute.entity';
import { FlexlogSites1764500000000 } from './migrations/1764500000000-flexlog-sites';
import { FlexdConnector } from './products/flexdplayer/connectors/connector.entity';
import { MappingProfileRow } from './products/flexdplayer/mapping/mapping-profile.entity';
import { CarrierLine } from './products/flexdplayer/lines/carrier-line.entity';
import { DeliveredFile } from './products/flexdplayer/import/delivered-file.entity';
import { OpeningTest } from './products/flexdplayer/opening-test/opening-test.entity';
import { Flexdplayer1764900000000 } from './migrations/1764900000000-flexdplayer';
import { VendorPlan } from './vendor/plans/plan.entity';
import { ContractPlanChange, RenewalReminder, VendorContract } from './vendor/contracts/contract.entities';
import { InvoiceCounter, VendorInvoice, VendorPayment } from './vendor/invoices/invoice.entities';
import { VendorBilling1765000000000 } from './migrations/1765000000000-vendor-billing';
import { VendorTermination1765310000000 } from './migrations/1765310000000-vendor-termination';
import { DeletionCertificateRow, EquipmentReturn, TenantShredding } from './vendor/termination/termination.entities';
import { PopupCallMemo, PopupLineSubscription, PopupPresence } from './products/popup/realtime/popup-routing.entities';
import { PopupRealtime1765400000000 } from './migrations/1765400000000-popup-realtime';
import { DIRECTORY_ENTITIES } from './products/popup/customers/directory-entities';
import { PopupCustomers1765420000000 } from './migrations/1765420000000-popup-customers';
import { VNOTE_TRANSCRIPTION_ENTITIES } from './products/vnote/transcription/transcription.entities';
import { VNOTE_SEARCH_ENTITIES } from './products/vnote/search/vnote-search.entities';
import { VnoteSearch1765510000000 } from './migrations/1765510000000-vnote-search';
import { VnoteTranscription1765500000000 } from './migrations/1765500000000-vnote-transcription';
import { WEBHOOK_ENTITIES } from './core/webhooks/webhook.entities';
import { Webhooks1765430000000 } from './migrations/1765430000000-webhooks';
import { PopupLookupHook } from './products/popup/integrations/lookup-hook.entity';
import { PopupLookupHook1765440000000 } from './migrations/1765440000000-popup-lookup-hook';
import { PopupKintoneConnector } from './products/popup/integrations/kintone/kintone-connector.entity';
import { PopupKintone1765450000000 } from './migrations/1765450000000-popup-kintone';
import { RecordingAudioQuality1765520000000 } from './migrations/1765520000000-recording-audio-quality';

export const ENTITIES = [
  Tenant,
  User,
  RefreshToken,
  ApiKey,
  AuditEntry,
  SystemSetting,
  TenantKey,
  Call,
  Recording,
  CallTag,
  Job,
  RecordingPolicy,
  PendingObjectDeletion,
  RecordingUsage,
  SupportGrant,
  UserExtension,
  UploadSession,
  UploadSegment,
  FlexlogSite,
  SiteHealth,
  HeartbeatMinute,
  FlexdConnector,
  MappingProfileRow,
  CarrierLine,
  DeliveredFile,
  OpeningTest,
  VendorPlan,
  VendorContract,
  ContractPlanChange,
  RenewalReminder,
  VendorInvoice,
  VendorPayment,
  InvoiceCounter,
  TenantShredding,
  DeletionCertificateRow,
  EquipmentReturn,
  PopupLineSubscription,
  PopupPresence,
  PopupCallMemo,
  ...DIRECTORY_ENTITIES,
  ...VNOTE_TRANSCRIPTION_ENTITIES,
  ...VNOTE_SEARCH_ENTITIES,
  ...WEBHOOK_ENTITIES,
  PopupLookupHook,
  PopupKintoneConnector,
];
export const MIGRATIONS = [
  InitialSchema1764000000000,
  RecordingStore1764100000000,
  SearchIndexes1764150000000,
  JobsAndRecordingPolicies1764200000000,
  PendingObjectDeletions1764450000000,
  UploadSessions1764300000000,
  SupportGrants1764400000000,
  FlexlogSites1764500000000,
  UserExtensions1764600000000,
  Flexdplayer1764900000000,
  VendorBilling1765000000000,
  VendorTermination1765310000000,
  PopupRealtime1765400000000,
  PopupCustomers1765420000000,
  Webhooks1765430000000,
  PopupLookupHook1765440000000,
  PopupKintone1765450000000,
  VnoteTranscription1765500000000,
  VnoteSearch1765510000000,
  RecordingAudioQuality1765520000000,
];
