#!/usr/bin/env node
// The bin was this file until the CLI moved to CommonJS (./tracked-flows.cjs, see there why). npx keeps the bin
// links of a checkout it ran in its own cache (~/.npm/_npx) and does not refresh them when package.json's bin
// changes, so in a checkout that ran `npx tracked-flows` before, npx still calls this name. Not published.
import './tracked-flows.cjs';
