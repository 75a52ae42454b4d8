/**
 * Runs one fault case: the case writes its files and injects its fault, then the runner lets the
 * next polls run (a failed file is replayed as the replay template does: moved back and touched)
 * until everything converged or the recovery budget is spent, and tallies what the ERP, the SFTP
 * tree and the reconciliation say.
 */
import * as fs from 'node:fs';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import {
	addTally,
	checkArchive,
	checkErp,
	checkReconciliation,
	emptyTally,
	fileStates,
	Summaries,
	type ExpectedFile,
	type Tally,
} from './ledger';
import { replayLocally, type FaultWorld, type Flow } from './world';

export interface CaseContext {
	world: FaultWorld;
	flow: Flow;
	/** Short and unique per case and repeat: invoice numbers and file names start with it. */
	tag: string;
	/** Writes (or rewrites) a file in the flow's directory, owned by the SFTP user. */
	write(name: string, content: string, mtime?: Date): void;
	/** Appends to a file in the flow's directory, as a writer still holding it does. */
	append(name: string, content: string): void;
	/** Registers what a file must end up as: its final content and every record approved in it. */
	expect(file: ExpectedFile): void;
	/** Checks that no case file is archived before its records are in the ERP (counted). */
	checkArchive(): Promise<void>;
	/** Polls until `what` holds (bounded), polling the trigger again every `repollMs`. */
	pollUntil(
		what: string,
		check: () => Promise<boolean> | boolean,
		timeoutMs?: number,
	): Promise<void>;
	/** Waits (bounded) until `check` holds, without polling. */
	until(what: string, check: () => Promise<boolean> | boolean, timeoutMs?: number): Promise<void>;
	/** Says what happened (the log), without counting it. */
	note(text: string): void;
}

export interface FaultCase {
	fault: string;
	point: string;
	flow: Flow['name'];
	/** Part of the default `npm test` run (the rest run with `npm run faults`). */
	inDefault: boolean;
	run(context: CaseContext): Promise<void>;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(
	what: string,
	check: () => Promise<boolean> | boolean,
	timeoutMs: number,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return;
		if (Date.now() > deadline)
			throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
		await sleep(500);
	}
}

async function runningExecutions(world: FaultWorld, flow: Flow): Promise<number> {
	const all = await world.n8n.listExecutions(flow.workflowId);
	return all.filter((e) => !['success', 'error', 'crashed', 'canceled'].includes(e.status)).length;
}

async function lastExecutionId(world: FaultWorld, flow: Flow): Promise<number> {
	const all = await world.n8n.listExecutions(flow.workflowId);
	return all.reduce((max, e) => Math.max(max, Number(e.id)), 0);
}

/** Polls after the fault: each round replays failed files, polls once and waits for the runs. */
async function recover(
	world: FaultWorld,
	flow: Flow,
	files: ExpectedFile[],
	summaries: Summaries,
	tally: Tally,
	rounds: number,
): Promise<number> {
	const names = [...new Set(files.map((f) => f.name))];
	const finalFiles = names.map((name) => files.filter((f) => f.name === name).at(-1)!);
	const converged = async () => {
		const { clean, pending } = await checkReconciliation(summaries, flow, files);
		if (!clean || pending > 0) return false;
		const states = fileStates(world, flow, finalFiles);
		const placed = states.every((s) =>
			flow.archiveDir ? s.archived && !s.waiting && !s.failed : s.waiting && !s.failed,
		);
		return placed && (await checkErp(world, flow, files)).complete;
	};
	for (let round = 1; round <= rounds; round++) {
		for (const state of fileStates(world, flow, finalFiles))
			if (state.failed && !state.waiting) replayLocally(world, flow, state.name);
		await world.pollOnce(flow);
		// A poll emits, waits up to 20 s for its runs and commits. Poll again once nothing runs and
		// nothing converged for a while (a file that changed settles first, then the next poll takes it).
		const polled = Date.now();
		await sleep(1_500);
		while (Date.now() - polled < 90_000) {
			if (await converged()) {
				await checkArchive(world, flow, files, tally);
				return round;
			}
			await checkArchive(world, flow, files, tally);
			const idle = (await runningExecutions(world, flow)) === 0;
			if (idle && Date.now() - polled > 8_000) break;
			await sleep(1_000);
		}
	}
	return -1;
}

export interface CaseResult {
	tally: Tally;
	recoveryPolls: number;
	seconds: number;
}

export async function runCase(
	world: FaultWorld,
	fault: FaultCase,
	tag: string,
	options: { rounds?: number } = {},
): Promise<CaseResult> {
	const started = Date.now();
	const flow = world.flows[fault.flow];
	if (!flow) throw new Error(`no ${fault.flow} flow in this world`);
	const tally = emptyTally();
	const files: ExpectedFile[] = [];
	const baseline = await lastExecutionId(world, flow);
	const summaries = new Summaries(world, flow, baseline);
	const seenFrom = { odoo: world.odooProxy.seen.length, qbo: world.qboProxy.seen.length };
	world.odooProxy.setRule(undefined);
	world.qboProxy.setRule(undefined);
	world.sftpProxy.disarm();
	const owner = statSync(world.local(flow.dir));
	const localOf = (name: string) => world.local(`${flow.dir}/${name}`);
	const writers = new Map<string, number>();
	const context: CaseContext = {
		world,
		flow,
		tag,
		write(name, content, mtime) {
			world.sshd.writeFile(`${flow.dir}/${name}`, content, mtime);
		},
		append(name, content) {
			// One open descriptor per file for the whole case, as a writer holding the file does: if the
			// trigger moves the file meanwhile, the rest lands where the file went.
			let fd = writers.get(name);
			if (fd === undefined) {
				const target = localOf(name);
				fs.mkdirSync(dirname(target), { recursive: true });
				fd = fs.openSync(target, 'a');
				fs.fchownSync(fd, owner.uid, owner.gid);
				writers.set(name, fd);
			}
			fs.writeSync(fd, content);
		},
		expect(file) {
			files.push(file);
		},
		checkArchive: () => checkArchive(world, flow, files, tally),
		async pollUntil(what, check, timeoutMs = 120_000) {
			const deadline = Date.now() + timeoutMs;
			await world.pollOnce(flow);
			let polled = Date.now();
			for (;;) {
				if (await check()) return;
				if (Date.now() > deadline)
					throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
				if (Date.now() - polled > 25_000 && (await runningExecutions(world, flow)) === 0) {
					await world.pollOnce(flow);
					polled = Date.now();
				}
				await sleep(500);
			}
		},
		until: (what, check, timeoutMs = 120_000) => until(what, check, timeoutMs),
		note(text) {
			process.stderr.write(`[faults] ${tag}: ${text}\n`);
		},
	};
	let recoveryPolls = -1;
	try {
		await fault.run(context);
		for (const fd of writers.values()) fs.closeSync(fd);
		writers.clear();
		world.odooProxy.setRule(undefined);
		world.qboProxy.setRule(undefined);
		world.sftpProxy.disarm();
		world.odooProxy.releaseHeld();
		world.qboProxy.releaseHeld();
		await context.checkArchive();
		recoveryPolls = await recover(world, flow, files, summaries, tally, options.rounds ?? 8);
	} catch (error) {
		tally.notes.push(`case error: ${(error as Error).message.split('\n')[0]}`);
	} finally {
		for (const fd of writers.values()) fs.closeSync(fd);
		world.odooProxy.setRule(undefined);
		world.qboProxy.setRule(undefined);
		world.sftpProxy.disarm();
		world.odooProxy.openGate();
		world.odooProxy.releaseHeld();
		world.qboProxy.releaseHeld();
	}
	const end = emptyTally();
	await checkErp(world, flow, files, end);
	if (recoveryPolls < 0) {
		const states = fileStates(world, flow, files);
		end.unconverged += new Set(
			states
				.filter((s) => (flow.archiveDir ? !s.archived : s.failed || !s.waiting))
				.map((s) => s.name),
		).size;
		end.notes.push(`not converged: ${JSON.stringify(states)}`);
	}
	await checkReconciliation(summaries, flow, files, end).catch((error: Error) => {
		end.unbalanced++;
		end.notes.push(`reconciliation unreadable: ${error.message}`);
	});
	addTally(tally, end);
	// FAULT_TRACE=1: the ERP calls the case made, with the action taken on each.
	if (process.env.FAULT_TRACE === '1') {
		const calls = [
			...world.odooProxy.seen.slice(seenFrom.odoo),
			...world.qboProxy.seen.slice(seenFrom.qbo),
		];
		process.stderr.write(
			`[faults] ${tag} calls: ${calls.map((c) => (c.action === 'pass' ? c.call : `${c.call} [${c.action}]`)).join(', ')}
`,
		);
	}
	await world.n8n.deactivate(flow.workflowId).catch(() => undefined);
	// Out of the watched directory, so the next case starts clean.
	for (const dir of [flow.dir, flow.failedDir, ...(flow.archiveDir ? [flow.archiveDir] : [])])
		for (const name of new Set(files.map((f) => f.name)))
			fs.rmSync(world.local(`${dir}/${name}`), { force: true });
	return { tally, recoveryPolls, seconds: Math.round((Date.now() - started) / 1000) };
}
