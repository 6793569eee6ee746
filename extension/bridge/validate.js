/* Table-driven message validator. The table is shared_schemas/messages/*.schema.json, embedded
 * by the build into bridge/generated.js (and worker/generated.js). Why a subset interpreter and
 * not a JSON Schema library: content scripts must stay small, and our schemas only use
 * type, const, enum, required, properties, items, minimum/maximum, minLength/maxLength, min/maxItems and anyOf. Unknown keywords are ignored. */
(function (root) {
  "use strict";

  function typeOf(v) {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;
  }

  function typeMatches(want, v) {
    const got = typeOf(v);
    const wants = Array.isArray(want) ? want : [want];
    return wants.some((w) => w === got || (w === "number" && got === "integer"));
  }

  function check(schema, v, path, errors) {
    if (!schema || typeof schema !== "object") return;
    if ("const" in schema && v !== schema.const) errors.push(`${path}: expected ${JSON.stringify(schema.const)}`);
    if (schema.enum && !schema.enum.includes(v)) errors.push(`${path}: not one of ${schema.enum.join(",")}`);
    if (schema.type && !typeMatches(schema.type, v)) {
      errors.push(`${path}: expected ${schema.type}, got ${typeOf(v)}`);
      return;
    }
    if (typeof v === "string") {
      if (schema.minLength != null && [...v].length < schema.minLength) errors.push(`${path}: too short`);
      if (schema.maxLength != null && [...v].length > schema.maxLength) errors.push(`${path}: too long`);
    }
    if (typeof v === "number") {
      if (schema.minimum != null && v < schema.minimum) errors.push(`${path}: below ${schema.minimum}`);
      if (schema.maximum != null && v > schema.maximum) errors.push(`${path}: above ${schema.maximum}`);
    }
    if (Array.isArray(v)) {
      if (schema.maxItems != null && v.length > schema.maxItems) errors.push(`${path}: too many items`);
      if (schema.minItems != null && v.length < schema.minItems) errors.push(`${path}: too few items`);
      if (schema.items) v.forEach((item, i) => check(schema.items, item, `${path}[${i}]`, errors));
    }
    if (v && typeof v === "object" && !Array.isArray(v)) {
      for (const key of schema.required || []) {
        if (!(key in v)) errors.push(`${path}.${key}: required`);
      }
      for (const [key, sub] of Object.entries(schema.properties || {})) {
        if (key in v && v[key] !== undefined) check(sub, v[key], `${path}.${key}`, errors);
      }
    }
    if (schema.anyOf) {
      const ok = schema.anyOf.some((alt) => {
        const errs = [];
        check(alt, v, path, errs);
        return errs.length === 0;
      });
      if (!ok) errors.push(`${path}: matches none of anyOf`);
    }
  }

  /** validate(message, allowedTypes?) -> {ok, errors}. */
  function validateMessage(message, allowed) {
    const schemas = (root.HeraldGenerated && root.HeraldGenerated.schemas) || {};
    if (!message || typeof message !== "object" || typeof message.type !== "string") {
      return { ok: false, errors: ["message without a string `type`"] };
    }
    if (allowed && !allowed.includes(message.type)) {
      return { ok: false, errors: [`type ${message.type} not accepted here`] };
    }
    const schema = schemas[message.type];
    if (!schema) return { ok: false, errors: [`no schema for ${message.type}`] };
    const errors = [];
    check(schema, message, "$", errors);
    return { ok: errors.length === 0, errors };
  }

  /** Any value against a schema of the same subset (a served site adapter): the errors, [] when valid. */
  function validateValue(schema, value) {
    const errors = [];
    check(schema, value, "$", errors);
    return errors;
  }

  root.HeraldValidate = validateMessage;
  root.HeraldValidateValue = validateValue;
  if (root.Herald) root.Herald.validate = validateMessage;
})(globalThis);
