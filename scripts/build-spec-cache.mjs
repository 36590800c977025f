// Part of `npm run build`: writes dist/spec/*.json, the parsed specs the server reads instead of YAML.
import { join } from 'node:path';
import { projectRoot, writeSpecCache } from '../dist/server/spec.js';

writeSpecCache(['openapi.yaml', 'mock-admin.yaml'].map((name) => join(projectRoot, 'openapi', name)));
