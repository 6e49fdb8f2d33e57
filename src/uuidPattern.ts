/** Conversation and visitor ids are UUIDs (docs/api-notes.md#identifiers); the API refuses anything else. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
