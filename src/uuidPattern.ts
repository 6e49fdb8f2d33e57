/** Conversation and visitor ids are UUIDs (API-NOTES.md); the API refuses anything else. */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
