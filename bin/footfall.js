#!/usr/bin/env node
// Thin launcher so `npx footfall` and the package bin run the compiled CLI.
import '../dist/cli/main.js';
