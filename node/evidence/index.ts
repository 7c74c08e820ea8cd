// Evidence packages (issue 19): the agency's export of a request or delivery, and its offline verification.
export { EvidenceExporter, evidenceExporter, EXPORT_PURPOSE, type EvidenceExporterInit, type EvidenceComponents, type ExportedEvidence } from './exporter.js'
export { verifyEvidence, ANCHORED_TOPIC, type VerifiedEvidence } from './verify.js'
export { evidenceRoutes } from './routes.js'
export {
  EVIDENCE_FORMAT, MANIFEST, paths as evidencePaths, encodeManifest, signManifest, manifestSigner,
  type EvidenceManifest, type EvidenceManifestBody, type ManifestItem, type ManifestClip, type ProvenEntry, type AnchorItem, type RawAnchor
} from './package.js'
export {
  EvidenceArchiveError, EvidenceItemMissingError, EvidenceItemUnlistedError, EvidenceManifestError, EvidenceHashMismatchError,
  EvidenceSignatureError, EvidenceCheckError, EvidenceSubjectNotFoundError, EvidenceUnavailableError
} from './errors.js'
