/** Python-like values: type model, classification for @wandb_log, and the real serializers. */
export { ValuesError, PythonError, type ValuesErrorCode } from './errors.ts';
export {
  T, TypeRegistry, defineClass, fullName, isSubclass, typeRepr,
  type PyType, type ClassOptions, type KnownTypeName,
} from './types.ts';
export {
  py, None, isPyValue, ndarrayFromNested,
  type PyValue, type PyNone, type PyBool, type PyInt, type PyFloat, type PyComplex, type PyStr, type PyBytes,
  type PyList, type PyTuple, type PyDict, type PySet, type PyNumpyScalar, type NumpyScalarDtype, type PyNdarray,
  type NdarrayDtype, type PandasLayout, type PyDataFrame, type PySeries, type PyPath, type PyDatetime, type PyDecimal, type PyFunction,
  type PyObject,
} from './model.ts';
export { pyEquals, pyHash, hashInt, hashFloat, setIterationOrder } from './pyhash.ts';
export { isinstance } from './isinstance.ts';
export {
  classifyTrack, classifyUse, describeTrack, fastcoreSort,
  type Profile, type Flags, type Libraries, type ClassifyOptions, type TrackLabel, type UseLabel, type TrackDescription,
} from './classify.ts';
export { pickleDumps, pickleValue, unpicklableFunction, encodeLong, pathParts, type PickledValue } from './pickle/pickler.ts';
export { dataFrameToParquet, dataFrameColumns, type DataFrameColumn, type ColumnDtype } from './parquet.ts';
export {
  VirtualFiles, inlineDirPath, missingPath, pathEntries, type FileSource, type FileKind, type PathEntry,
} from './files.ts';
export { NodeFiles } from './node-files.ts';
export { torchSave, TORCH_FORMAT } from './torch.ts';
export { artifactFiles } from './artifact-files.ts';
export {
  toWandbJson, stringifyWandbJson, wandbJsonText, wandbJsonToJs, type WandbJson, type StringifyOptions,
} from './wandb-json.ts';
export { pyFloatRepr, jsonFloat, jsonString } from './pyrepr.ts';
export { formatFloat, type FloatConversion } from './float-format.ts';
export { numpyFloatText, NDARRAY_DTYPES, normaliseElement } from './numpy-dtypes.ts';
export { contentId, sameContent } from './identity.ts';
export { decodeValue, encodeValue, type ValueEncoding } from './encoding.ts';
export {
  unknownValue, unknownPath, isUnknown, hashOrderUnknown, unorderedList, isUnorderedList, unknownOrigin, containsUnknown, unknownsIn, unknownJson, type UnknownKind, type UnknownOrigin,
} from './unknown.ts';
