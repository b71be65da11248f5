// Settings from an explicit object and/or the environment (reference §1.1). Explicit values win over the
// environment, as `wandb.init(settings=...)` wins over env vars.
import { API_KEY_FORMAT } from '../protocol/index.ts';
import { WandbError } from './errors.ts';

export type WandbMode = 'online' | 'offline' | 'disabled';

export interface WandbSettingsInput {
  baseUrl?: string;
  apiKey?: string;
  /** `online | offline | shared | disabled | dryrun | run`; `dryrun` = offline, `run`/`shared` = online. */
  mode?: string;
  entity?: string;
  project?: string;
}

export interface WandbSettings {
  baseUrl: string;
  /** Absent only when the mode sends nothing. */
  apiKey: string | undefined;
  mode: WandbMode;
  entity: string | undefined;
  project: string | undefined;
}

export const DEFAULT_BASE_URL = 'https://api.wandb.ai';

const MODES: Record<string, WandbMode> = {
  online: 'online', run: 'online', shared: 'online', offline: 'offline', dryrun: 'offline', disabled: 'disabled',
};

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function resolveSettings(
  input: WandbSettingsInput = {},
  env: Record<string, string | undefined> = process.env,
): WandbSettings {
  const modeText = nonEmpty(input.mode) ?? nonEmpty(env.WANDB_MODE) ?? 'online';
  const mode = MODES[modeText];
  if (!mode) {
    throw new WandbError('WANDB_CONFIG', `Failed to read setting "mode": "${modeText}" is not a W&B mode. Use one of ${Object.keys(MODES).join(', ')}.`);
  }
  const baseUrl = checkBaseUrl((nonEmpty(input.baseUrl) ?? nonEmpty(env.WANDB_BASE_URL) ?? DEFAULT_BASE_URL).replace(/\/+$/, ''));
  const apiKey = nonEmpty(input.apiKey) ?? nonEmpty(env.WANDB_API_KEY);
  if (mode === 'online') {
    if (apiKey === undefined) {
      throw new WandbError('WANDB_CONFIG', 'Failed to read setting "api_key": no API key was given. Set WANDB_API_KEY (for a mock, e.g. "local-" followed by 40 characters) or WANDB_MODE=disabled.');
    }
    // Never echo the key: only its length goes into the message.
    if (!API_KEY_FORMAT.test(apiKey)) {
      throw new WandbError('WANDB_CONFIG', `Failed to read setting "api_key": the key (${apiKey.length} characters) does not have W&B's format: an optional "prefix-" then at least 40 characters of [A-Za-z0-9_-]. Check WANDB_API_KEY.`);
    }
  }
  return {
    baseUrl,
    apiKey,
    mode,
    entity: nonEmpty(input.entity) ?? nonEmpty(env.WANDB_ENTITY),
    project: nonEmpty(input.project) ?? nonEmpty(env.WANDB_PROJECT),
  };
}

function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (cause) {
    throw new WandbError('WANDB_CONFIG', `Failed to read setting "base_url": "${baseUrl}" is not a URL. Set WANDB_BASE_URL to e.g. http://127.0.0.1:8080.`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WandbError('WANDB_CONFIG', `Failed to read setting "base_url": "${baseUrl}" is not http(s). Set WANDB_BASE_URL to an http:// or https:// URL.`);
  }
  // §1.1: hosts under wandb.ai must be https://api.*
  if (/(^|\.)wandb\.ai$/.test(url.hostname) && (url.protocol !== 'https:' || !url.hostname.startsWith('api.'))) {
    throw new WandbError('WANDB_CONFIG', `Failed to read setting "base_url": "${baseUrl}" is a wandb.ai host that is not https://api.*. Use https://api.wandb.ai.`);
  }
  return baseUrl;
}

/** `Basic base64("api:" + key)` (§1.3). */
export function basicAuth(apiKey: string): string {
  return 'Basic ' + Buffer.from('api:' + apiKey, 'utf8').toString('base64');
}
