#!/usr/bin/env node
// Removes build outputs whose source is gone (a moved or deleted module), so the packed package never
// ships stale files. tsc's incremental build keeps outputs of deleted sources; emptying dist/ instead
// would leave tsc's build info claiming everything is up to date, and nothing would be emitted.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');

function sourceOf(relative) {
	const compiled = relative.match(/^(.*)\.(js|js\.map|d\.ts|d\.ts\.map)$/);
	return compiled ? [`${compiled[1]}.ts`, `${compiled[1]}.js`] : [relative];
}

function prune(dir) {
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			prune(full);
			if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
			continue;
		}
		const relative = path.relative(dist, full);
		if (!sourceOf(relative).some((source) => fs.existsSync(path.join(root, source))))
			fs.rmSync(full);
	}
}

if (fs.existsSync(dist)) prune(dist);
