import { failure } from './errors.ts';
import { RESERVED_KEY } from './own.ts';

/**
 * File names inside runs and artifacts are relative POSIX paths. Anything that could escape a directory
 * when the content is written out (`..`, absolute paths, backslashes, NUL) is refused before it is stored.
 */
export function checkRelativePath(name: unknown, what: string): string {
  if (typeof name !== 'string' || name.length === 0) throw failure('BAD_PATH', 'accept', String(name), `${what} must be a non-empty string`);
  const reason =
    name.startsWith('/') || /^[A-Za-z]:/.test(name)
      ? 'absolute paths are not allowed'
      : name.includes('\\')
        ? 'backslashes are not allowed'
        : name.includes('\0')
          ? 'NUL bytes are not allowed'
          : name === RESERVED_KEY
            ? `"${RESERVED_KEY}" is a reserved name`
          : name.split('/').some((part) => part === '..')
            ? "'..' segments are not allowed"
            : name.split('/').some((part) => part === '' || part === '.')
              ? 'empty or "." segments are not allowed'
              : null;
  if (reason) throw failure('BAD_PATH', 'accept', name, `${what} ${reason}`, 'Use a relative path inside the run or artifact.');
  return name;
}
