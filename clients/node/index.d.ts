// Types of the impmock test helper (index.cjs / index.mjs).

export declare const VERSION: string;
/** The default fixtures' merchant, used by token() when no key pair is given. */
export declare const DEFAULT_IMP_KEY: string;
export declare const DEFAULT_IMP_SECRET: string;

/** A non-2xx answer from impmock, or a refused getToken. */
export declare class ImpmockError extends Error {
  /** HTTP status, null when impmock could not be reached. */
  status: number | null;
  /** The parsed answer (or its text). */
  body: unknown;
  /** The answer's "code" field when it has one ("VBANK_EXPIRED", 1, -1, ...). */
  code: string | number | null;
}

export interface Health { status: 'ok'; version: string; now: number }
export interface Clock { now: number; frozen: boolean }
export interface ResetResult { reset: true; scope: 'all' | 'tenant' }

export interface RequestEntry {
  seq: number;
  time: number;
  method: string;
  path: string;
  status: number;
  request_body: unknown;
  response_body: unknown;
  [field: string]: unknown;
}

export interface RequestFilters {
  /** Only entries with a larger seq (see cursor()). */
  since?: number;
  limit?: number;
  method?: string;
  /** A path prefix. */
  path?: string;
  status?: number;
  imp_key?: string;
  before?: number;
}

export interface WebhookAttempt {
  seq: number;
  id: number;
  time: number;
  imp_key: string | null;
  url: string;
  content_type: string;
  body: unknown;
  attempt: number;
  kind: 'delivery' | 'retry' | 'duplicate' | 'resend' | 'dropped' | string;
  status: number | null;
  error: string | null;
  imp_uid: string;
  merchant_uid: string;
  event: string;
  scenario: string | null;
  elapsed_ms: number;
  next_attempt_at: number;
  [field: string]: unknown;
}

export interface WebhookFilters {
  limit?: number;
  imp_key?: string;
  /** The receiver's HTTP status, 0 for no answer. */
  status?: number;
  id?: number;
  merchant_uid?: string;
}

export interface Route {
  method: string;
  pattern: string;
  auth: 'none' | 'token' | 'admin';
  operation: string | null;
  args: string[];
}

/** A loaded scenario as GET /__mock/scenarios lists it. */
export type ScenarioInfo = Record<string, unknown>;
/** A scenario document (see scenarios/README.md). */
export type Scenario = { name: string; rules: unknown[]; [field: string]: unknown };

export interface ClientOptions {
  /** X-Admin-Token for an impmock run with --admin-token (default: $IMPMOCK_ADMIN_TOKEN). */
  adminToken?: string | null;
  /** Bound on each control-API call (default 10000). */
  requestTimeoutMs?: number;
}

export interface AttachOptions extends ClientOptions {
  /** How long to wait for /__mock/health (default 10000). */
  timeoutMs?: number;
}

export interface BinaryOptions extends ClientOptions {
  /** The impmock binary (default: $IMPMOCK_BIN, else `impmock` on PATH). */
  bin?: string;
  /** More command-line options, e.g. ['--seed', '1', '--clock', '1704153600']. */
  args?: string[];
  /** Added to the environment impmock runs with. */
  env?: Record<string, string>;
  cwd?: string;
  /** Where impmock's output goes (default: a temporary file stop() removes). */
  logFile?: string;
  /** Bound on start-up (default 10000). */
  timeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL (default 5000). */
  stopTimeoutMs?: number;
}

export interface ImageOptions extends ClientOptions {
  /** The image, e.g. "localhost/impmock:ci". */
  image: string;
  /** docker or podman (default: $IMPMOCK_ENGINE, else the first on PATH). */
  engine?: string;
  /** Before the subcommand, e.g. ['--runtime', 'runc'] for podman. */
  engineArgs?: string[];
  /** More `run` options, before the image. */
  runArgs?: string[];
  /** impmock's own options, after the image. */
  args?: string[];
  /** Passed into the container with -e. */
  env?: Record<string, string>;
  containerName?: string;
  /** Bound on `run` (a pull included) and then on the health wait (default 60000 each). */
  timeoutMs?: number;
  stopTimeoutMs?: number;
}

export interface UrlOptions extends AttachOptions {
  /** Attach to the impmock running here. */
  url: string;
}

export declare class Impmock {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  readonly url: string;
  readonly port: number | null;
  adminToken: string | null;
  requestTimeoutMs: number;
  /** Once a started impmock ended: its exit code (or the signal's name). */
  exitCode: number | string | null;
  /** The process id of a started binary. */
  pid?: number;
  /** The logFile given to start(), if any. */
  logFile?: string | null;
  /** The container name and engine of a started image. */
  container?: string;
  engine?: string;

  constructor(url: string, options?: ClientOptions);

  health(): Promise<Health>;
  reset(options?: { imp_key?: string }): Promise<ResetResult>;

  readonly clock: {
    get(): Promise<Clock>;
    advance(seconds: number): Promise<Clock>;
    set(unixSeconds: number): Promise<Clock>;
    freeze(frozen?: boolean): Promise<Clock>;
  };

  readonly scenarios: {
    list(): Promise<ScenarioInfo[]>;
    /** A scenario object, or the path of a scenario file. */
    load(scenario: Scenario | string, options?: { imp_key?: string }): Promise<ScenarioInfo[]>;
    remove(name: string): Promise<ScenarioInfo[]>;
    /** Switches a loaded scenario off (false) or on again; its counters are kept. */
    enable(name: string, enabled?: boolean): Promise<ScenarioInfo[]>;
    clear(): Promise<ScenarioInfo[]>;
  };

  requests(filters?: RequestFilters): Promise<RequestEntry[]>;
  /** The newest journal entry's seq (0 when empty), for requests({since}). */
  cursor(): Promise<number>;
  clearRequests(): Promise<unknown>;

  webhooks(filters?: WebhookFilters): Promise<WebhookAttempt[]>;
  resendWebhook(id: number): Promise<{ resent: true; id: number }>;
  /** Sends an existing payment's notice again, without a new charge. */
  triggerWebhook(imp_uid: string, status?: string): Promise<unknown>;

  /** The buyer pays into a virtual account; resolves with the paid payment. */
  deposit(imp_uid: string,
    options?: { amount?: number; imp_key?: string; depositor_name?: string }): Promise<Record<string, unknown>>;

  exportState(options?: { imp_key?: string }): Promise<Record<string, unknown>>;
  importState(state: Record<string, unknown>, options?: { imp_key?: string }): Promise<{ imported: true }>;
  routes(): Promise<Route[]>;

  /** An access token from POST /users/getToken (default: the default fixtures' merchant). */
  token(pair?: { imp_key?: string; imp_secret?: string }): Promise<string>;

  /** Stops a started impmock: its exit code; null for an attached one (left running). */
  stop(): Promise<number | string | null>;
}

export declare function start(options?: BinaryOptions | ImageOptions | UrlOptions): Promise<Impmock>;
export declare function attach(url: string, options?: AttachOptions): Promise<Impmock>;

declare const impmock: {
  Impmock: typeof Impmock;
  ImpmockError: typeof ImpmockError;
  start: typeof start;
  attach: typeof attach;
  VERSION: string;
  DEFAULT_IMP_KEY: string;
  DEFAULT_IMP_SECRET: string;
};
export default impmock;
