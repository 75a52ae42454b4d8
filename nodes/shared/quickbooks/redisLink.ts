/**
 * The Redis connection QuickBooks limiters share their budget through, and how it is found: the
 * settings n8n's queue mode already uses (`QUEUE_BULL_REDIS_*`), so a user configures nothing new.
 * The link knows whether Redis is usable right now; limiters fall back to per-process limits while
 * it is not, and the link says so once per outage (and once when it is back).
 */
import Bottleneck from 'bottleneck';
import IORedis, { type RedisOptions } from 'ioredis';

export interface RedisSettings {
	host: string;
	port: number;
	db: number;
	username?: string;
	password?: string;
	tls?: { servername?: string; rejectUnauthorized: boolean };
	/** Redis Cluster nodes; when set, host and port are not used (as in n8n). */
	clusterNodes?: Array<{ host: string; port: number }>;
	/** Resolve both IPv4 and IPv6 addresses. */
	dualStack?: boolean;
}

type Env = Record<string, string | undefined>;

/** A variable as n8n reads it: the value, else the contents of the file named by `<NAME>_FILE`, trimmed and unquoted. */
function envValue(env: Env, name: string, readFile: (path: string) => string): string | undefined {
	let value = env[name];
	if (value === undefined && env[`${name}_FILE`]) value = readFile(env[`${name}_FILE`]!).trim();
	return value?.trim().replace(/^(['"])(.*)\1$/, '$2');
}

const isTrue = (value: string | undefined) => value !== undefined && /^(true|1)$/i.test(value);

/**
 * The Redis of n8n's queue mode, read from the same variables n8n 1.x and 2.x read
 * (`EXECUTIONS_MODE=queue`, `QUEUE_BULL_REDIS_HOST`, `_PORT`, `_DB`, `_USERNAME`, `_PASSWORD`,
 * `_TLS`, `_TLS_SERVERNAME`, `_TLS_VALIDATE_CERTIFICATE`, `_CLUSTER_NODES`, `_DUALSTACK`, each also
 * as `<NAME>_FILE`), with n8n's defaults. Undefined when n8n does not run in queue mode.
 */
export function n8nQueueRedis(
	env: Env,
	readFile: (path: string) => string,
): RedisSettings | undefined {
	const get = (name: string) => envValue(env, name, readFile);
	if (get('EXECUTIONS_MODE') !== 'queue') return undefined;
	const number = (name: string, fallback: number) => {
		const value = Number(get(name));
		return get(name) && Number.isFinite(value) ? value : fallback;
	};
	const clusterNodes = (get('QUEUE_BULL_REDIS_CLUSTER_NODES') ?? '')
		.split(',')
		.filter((pair) => pair.trim())
		.map((pair) => {
			const [host, port] = pair.trim().split(':');
			return { host, port: Number.parseInt(port, 10) };
		});
	const validate = get('QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE');
	return {
		host: get('QUEUE_BULL_REDIS_HOST') || 'localhost',
		port: number('QUEUE_BULL_REDIS_PORT', 6379),
		db: number('QUEUE_BULL_REDIS_DB', 0),
		username: get('QUEUE_BULL_REDIS_USERNAME') || undefined,
		password: get('QUEUE_BULL_REDIS_PASSWORD') || undefined,
		...(isTrue(get('QUEUE_BULL_REDIS_TLS'))
			? {
					tls: {
						servername: get('QUEUE_BULL_REDIS_TLS_SERVERNAME') || undefined,
						rejectUnauthorized: validate === undefined || isTrue(validate),
					},
				}
			: {}),
		...(clusterNodes.length ? { clusterNodes } : {}),
		...(isTrue(get('QUEUE_BULL_REDIS_DUALSTACK')) ? { dualStack: true } : {}),
	};
}

/** Where a link points, without credentials: for log lines and for telling links apart. */
export function describeRedis(settings: RedisSettings): string {
	const where = settings.clusterNodes?.length
		? settings.clusterNodes.map((n) => `${n.host}:${n.port}`).join(',')
		: `${settings.host}:${settings.port}`;
	return `${where}/${settings.db}`;
}

export class RedisLink {
	/** Bottleneck's connection over this link, shared by every limiter of the process. */
	readonly connection: Bottleneck.IORedisConnection;
	readonly key: string;
	private readonly client: IORedis | InstanceType<typeof IORedis.Cluster>;
	private state: 'connecting' | 'up' | 'down' = 'connecting';
	private readonly waiting: Array<(up: boolean) => void> = [];
	private readonly downListeners: Array<(reason: string) => void> = [];

	constructor(
		settings: RedisSettings,
		private readonly log: (message: string) => void = () => undefined,
	) {
		this.key = describeRedis(settings);
		const options: RedisOptions = {
			db: settings.db,
			username: settings.username,
			password: settings.password,
			...(settings.tls ? { tls: settings.tls } : {}),
			...(settings.dualStack ? { family: 0 } : {}),
			// Fail fast while Redis is away, so a request never waits on it: the limiter goes local instead.
			enableOfflineQueue: false,
			autoResendUnfulfilledCommands: false,
			maxRetriesPerRequest: 1,
			commandTimeout: 10_000,
			connectTimeout: 5_000,
			retryStrategy: (times) => Math.min(250 * times, 5_000),
		};
		this.client = settings.clusterNodes?.length
			? new IORedis.Cluster(settings.clusterNodes, {
					redisOptions: options,
					enableOfflineQueue: false,
					clusterRetryStrategy: (times) => Math.min(250 * times, 5_000),
				})
			: new IORedis({ ...options, host: settings.host, port: settings.port });
		this.client.on('ready', () => this.up());
		// An error on a live connection is a failed command, not an outage; the limiter reports those.
		this.client.on('error', (error: Error) => {
			if (this.client.status !== 'ready') this.down(error.message);
		});
		this.client.on('close', () => this.down('connection closed'));
		this.client.on('end', () => this.down('connection ended'));
		this.connection = new Bottleneck.IORedisConnection({
			client: this.client as never,
			Redis: IORedis as never,
		});
		this.connection.on('error', () => undefined);
	}

	isUp(): boolean {
		return this.state === 'up';
	}

	/** Resolves once the first connection attempt decided: true when Redis is usable. */
	settled(): Promise<boolean> {
		if (this.state !== 'connecting') return Promise.resolve(this.state === 'up');
		return new Promise((resolve) => this.waiting.push(resolve));
	}

	/** Called with the reason whenever Redis stops being usable. */
	onDown(listener: (reason: string) => void): void {
		this.downListeners.push(listener);
	}

	/** A limiter met an error Redis did not report itself (a script that failed): treat it as an outage. */
	reportTrouble(reason: string): void {
		if (this.client.status === 'ready') this.log(`QuickBooks limiter: Redis error (${reason})`);
		else this.down(reason);
	}

	async disconnect(): Promise<void> {
		this.state = 'down';
		this.downListeners.length = 0;
		try {
			await this.connection.disconnect(true);
		} catch {
			// Redis is already gone: nothing to flush.
		}
		this.client.disconnect();
		(this.connection as unknown as { subscriber?: IORedis }).subscriber?.disconnect();
	}

	private up(): void {
		const was = this.state;
		this.state = 'up';
		if (was === 'down')
			this.log(
				`QuickBooks limiter: Redis ${this.key} is back; the per-realm budget is shared again`,
			);
		this.settle(true);
	}

	private down(reason: string): void {
		if (this.state === 'down') return;
		this.state = 'down';
		this.log(
			`QuickBooks limiter: Redis ${this.key} is unavailable (${reason}); each process keeps the limits on its own until it is back`,
		);
		this.settle(false);
		for (const listener of this.downListeners) listener(reason);
	}

	private settle(up: boolean): void {
		for (const resolve of this.waiting.splice(0)) resolve(up);
	}
}

const links = new Map<string, RedisLink>();

/** One link per Redis in this process. */
export function redisLink(settings: RedisSettings, log?: (message: string) => void): RedisLink {
	const key = `${describeRedis(settings)}|${settings.username ?? ''}`;
	let link = links.get(key);
	if (!link) {
		link = new RedisLink(settings, log);
		links.set(key, link);
	}
	return link;
}

/** Closes every link of this process (tests, benchmarks, a clean shutdown). */
export async function disconnectRedisLinks(): Promise<void> {
	const all = [...links.values()];
	links.clear();
	await Promise.all(all.map(async (link) => await link.disconnect()));
}
