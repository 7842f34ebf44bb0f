/**
 * Divolte's own schema, as the reference our builtin copy must match.
 *
 * The text below is src/main/resources/DefaultEventRecord.avsc of github.com/divolte/divolte-schema at
 * tag divolte-schema-0.9.0 (unchanged at the last commit, e231008, 2019-05-17), the artifact Divolte
 * Collector 0.9 and later depend on. Divolte Collector itself stopped carrying the file in 2014.
 * It is kept byte for byte (with its own layout) so the test compares against Divolte, not against us.
 */
export const DIVOLTE_SCHEMA_TEXT = `{
    "namespace": "io.divolte.record",
    "type": "record",
    "name": "DefaultEventRecord",
    "fields": [
        { "name": "detectedDuplicate",       "type": "boolean" },
        { "name": "detectedCorruption",      "type": "boolean" },
        { "name": "firstInSession",          "type": "boolean" },
        { "name": "timestamp",               "type": "long" },
        { "name": "clientTimestamp",         "type": "long" },
        { "name": "remoteHost",              "type": "string" },
        { "name": "referer",                 "type": ["null", "string"], "default": null },
        { "name": "location",                "type": ["null", "string"], "default": null },
        { "name": "viewportPixelWidth",      "type": ["null", "int"],    "default": null },
        { "name": "viewportPixelHeight",     "type": ["null", "int"],    "default": null },
        { "name": "screenPixelWidth",        "type": ["null", "int"],    "default": null },
        { "name": "screenPixelHeight",       "type": ["null", "int"],    "default": null },
        { "name": "partyId",                 "type": ["null", "string"], "default": null },
        { "name": "sessionId",               "type": ["null", "string"], "default": null },
        { "name": "pageViewId",              "type": ["null", "string"], "default": null },
        { "name": "eventType",               "type": "string",           "default": "unknown" },
        { "name": "userAgentString",         "type": ["null", "string"], "default": null },
        { "name": "userAgentName",           "type": ["null", "string"], "default": null },
        { "name": "userAgentFamily",         "type": ["null", "string"], "default": null },
        { "name": "userAgentVendor",         "type": ["null", "string"], "default": null },
        { "name": "userAgentType",           "type": ["null", "string"], "default": null },
        { "name": "userAgentVersion",        "type": ["null", "string"], "default": null },
        { "name": "userAgentDeviceCategory", "type": ["null", "string"], "default": null },
        { "name": "userAgentOsFamily",       "type": ["null", "string"], "default": null },
        { "name": "userAgentOsVersion",      "type": ["null", "string"], "default": null },
        { "name": "userAgentOsVendor",       "type": ["null", "string"], "default": null }
    ]
}
`;

/**
 * The 26 fields as DIVOLTE-PROTOCOL.md ("Default record") lists them: name, type, default. Written out
 * separately from the schema text so a mistake in one does not hide in the other. (The design doc calls
 * the two times "long, timestamp-millis"; Divolte's schema has no logical type on them, and wire bytes
 * and canonical form are the same either way. We follow Divolte.)
 */
export const DIVOLTE_FIELDS: readonly (readonly [string, string | readonly string[], unknown?])[] = [
  ['detectedDuplicate', 'boolean'],
  ['detectedCorruption', 'boolean'],
  ['firstInSession', 'boolean'],
  ['timestamp', 'long'],
  ['clientTimestamp', 'long'],
  ['remoteHost', 'string'],
  ['referer', ['null', 'string'], null],
  ['location', ['null', 'string'], null],
  ['viewportPixelWidth', ['null', 'int'], null],
  ['viewportPixelHeight', ['null', 'int'], null],
  ['screenPixelWidth', ['null', 'int'], null],
  ['screenPixelHeight', ['null', 'int'], null],
  ['partyId', ['null', 'string'], null],
  ['sessionId', ['null', 'string'], null],
  ['pageViewId', ['null', 'string'], null],
  ['eventType', 'string', 'unknown'],
  ['userAgentString', ['null', 'string'], null],
  ['userAgentName', ['null', 'string'], null],
  ['userAgentFamily', ['null', 'string'], null],
  ['userAgentVendor', ['null', 'string'], null],
  ['userAgentType', ['null', 'string'], null],
  ['userAgentVersion', ['null', 'string'], null],
  ['userAgentDeviceCategory', ['null', 'string'], null],
  ['userAgentOsFamily', ['null', 'string'], null],
  ['userAgentOsVersion', ['null', 'string'], null],
  ['userAgentOsVendor', ['null', 'string'], null],
];
