#!/usr/bin/env node
// Checks the Helm chart without helm (not installed here): values.yaml against
// values.schema.json (ajv when the workspace has it, otherwise a small draft-07 subset below),
// Chart.yaml's required fields, and that every template's {{ if/range/with/define }} is closed.
// YAML is read by PyYAML (yamllint's own dependency), so this needs no extra npm package.
// Usage: node scripts/check-helm-chart.cjs helm/appliance      (CHECK_PLAIN=1: skip ajv)
'use strict';
const { execFileSync } = require('node:child_process');
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const chartDir = process.argv[2] || 'helm/appliance';
const problems = [];

function readYaml(file) {
  const script = 'import json,sys,yaml; json.dump(yaml.safe_load(open(sys.argv[1], encoding="utf-8")), sys.stdout)';
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
}

// A draft-07 subset: enough for this chart's schema, refusing keywords it does not know.
const KNOWN = new Set([
  '$schema',
  'title',
  'description',
  'type',
  'enum',
  'required',
  'properties',
  'additionalProperties',
  'propertyNames',
  'pattern',
  'minLength',
  'minimum',
  'maximum',
  'items',
  '$ref',
  'definitions',
]);
function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}
function plainValidate(schema, value, path, root, out) {
  for (const key of Object.keys(schema))
    if (!KNOWN.has(key)) out.push(`schema keyword ${key} unsupported by the plain check`);
  if (schema.$ref) {
    const target = schema.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((o, k) => o && o[k], root);
    if (!target) return out.push(`${path}: unresolved $ref ${schema.$ref}`);
    return plainValidate(target, value, path, root, out);
  }
  if (schema.type) {
    const types = [].concat(schema.type);
    const t = typeOf(value);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
      return out.push(`${path}: must be ${types.join(' or ')}, is ${t}`);
    }
  }
  if (schema.enum && !schema.enum.includes(value)) out.push(`${path}: must be one of ${schema.enum.join(', ')}`);
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) out.push(`${path}: too short`);
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value))
      out.push(`${path}: must match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.push(`${path}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) out.push(`${path}: above ${schema.maximum}`);
  }
  if (Array.isArray(value) && schema.items)
    value.forEach((v, i) => plainValidate(schema.items, v, `${path}[${i}]`, root, out));
  if (typeOf(value) === 'object') {
    for (const key of schema.required || []) if (!(key in value)) out.push(`${path}: missing ${key}`);
    for (const [key, v] of Object.entries(value)) {
      if (schema.propertyNames) plainValidate(schema.propertyNames, key, `${path} key ${key}`, root, out);
      if (schema.properties && key in schema.properties)
        plainValidate(schema.properties[key], v, `${path}.${key}`, root, out);
      else if (schema.additionalProperties === false) out.push(`${path}: unknown key ${key}`);
      else if (typeOf(schema.additionalProperties) === 'object')
        plainValidate(schema.additionalProperties, v, `${path}.${key}`, root, out);
    }
  }
  return out;
}

function validateValues(schema, values) {
  let Ajv = null;
  if (!process.env.CHECK_PLAIN) {
    try {
      Ajv = require('ajv');
    } catch {
      Ajv = null;
    }
  }
  if (Ajv) {
    const ajv = new (Ajv.default || Ajv)({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    if (validate(values)) return { engine: 'ajv', errors: [] };
    return {
      engine: 'ajv',
      errors: validate.errors.map((e) => `values${e.instancePath.replace(/\//g, '.')}: ${e.message}`),
    };
  }
  return { engine: 'plain', errors: plainValidate(schema, values, 'values', schema, []) };
}

// Every block action must be closed by {{ end }}, and no {{ may be left open.
function checkTemplate(file) {
  const text = readFileSync(file, 'utf8');
  const actions = [...text.matchAll(/\{\{-?\s*(\/\*[\s\S]*?\*\/|[\s\S]*?)\s*-?\}\}/g)].map((m) => m[1]);
  if ((text.match(/\{\{/g) || []).length !== (text.match(/\}\}/g) || []).length)
    problems.push(`${file}: unbalanced {{ }}`);
  let depth = 0;
  for (const action of actions) {
    if (action.startsWith('/*')) continue;
    if (/^(if|range|with|define|block)\b/.test(action)) depth += 1;
    else if (/^end\b/.test(action)) depth -= 1;
    if (depth < 0) problems.push(`${file}: {{ end }} without an opening block`);
  }
  if (depth > 0) problems.push(`${file}: ${depth} block(s) without {{ end }}`);
}

const chart = readYaml(join(chartDir, 'Chart.yaml'));
for (const key of ['apiVersion', 'name', 'version']) if (!chart[key]) problems.push(`Chart.yaml: missing ${key}`);
if (chart.apiVersion !== 'v2') problems.push('Chart.yaml: apiVersion must be v2');
if (chart.version && !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(chart.version))
  problems.push('Chart.yaml: version must be SemVer');

const schema = JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8'));
const values = readYaml(join(chartDir, 'values.yaml'));
const { engine, errors } = validateValues(schema, values);
problems.push(...errors);

const templates = readdirSync(join(chartDir, 'templates')).filter((f) => /\.(ya?ml|tpl|txt)$/.test(f));
for (const f of templates) checkTemplate(join(chartDir, 'templates', f));

if (problems.length) {
  console.error(`helm chart ${chartDir}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `helm chart ${chartDir}: Chart.yaml ok, values.yaml valid (${engine}), ${templates.length} templates balanced`,
);
