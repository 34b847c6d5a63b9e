/** File output: atomic writes, DXchange (HDF5) scans with ground truth, run manifests. */
export {
  abortAllPartialFiles,
  createPartialFile,
  isPartialFileName,
  openPartialFiles,
  writeFileAtomic,
  type PartialFile,
  type PartialFileState,
} from "./atomicFile.js";
export { canonicalJson } from "./canonicalJson.js";
export {
  DXCHANGE_IMPLEMENTS,
  DxchangeWriter,
  GEOMETRY_COLUMNS,
  readDxchange,
  type DxchangeFile,
  type DxchangeGeometry,
  type DxchangeTruth,
  type DxchangeWriterOptions,
  type ExchangeDtype,
  type GeometryInfo,
  type GeometryType,
  type InstrumentInfo,
  type NumericArray,
  type ProcessInfo,
  type SampleInfo,
  type TruthVolumes,
} from "./dxchange.js";
export { sourceDateEpochMs, withPinnedClock } from "./hdf5.js";
export {
  MANIFEST_NAME,
  hashFile,
  readManifest,
  verifyManifest,
  writeManifest,
  type Manifest,
  type ManifestEntry,
  type ManifestInput,
  type ManifestProblem,
  type VerifyResult,
} from "./manifest.js";
