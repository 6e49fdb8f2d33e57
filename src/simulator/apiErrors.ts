import { GraphQLError } from 'graphql';

/**
 * Errors as iAdvize shapes them. `extensions.name` is the stable identifier and
 * `retryPolicy` says whether retrying can help (docs/api-notes.md#graphql-errors); `code` is deprecated but
 * still sent on NOT_FOUND, as the article's example shows.
 */
export type RetryPolicy = 'NO_RETRY' | 'RETRY';

export function conversationNotFound(conversationId: string): GraphQLError {
  // The article's message, word for word.
  return new GraphQLError(`Conversation ${conversationId} has been not found during anonymization: it has either been dropped or anonymized`, {
    extensions: { code: 'NOT_FOUND', name: 'NOT_FOUND', retryPolicy: 'NO_RETRY' },
  });
}

/** ASSUMED: the visitor mutation answers like the conversation one. */
export function visitorNotFound(visitorId: string): GraphQLError {
  return new GraphQLError(`Visitor ${visitorId} has been not found during anonymization: it has either been dropped or anonymized`, {
    extensions: { code: 'NOT_FOUND', name: 'NOT_FOUND', retryPolicy: 'NO_RETRY' },
  });
}

export function invalidArgument(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { name: 'INVALID_ARGUMENT', retryPolicy: 'NO_RETRY' } });
}

/** ASSUMED: asking for a project the account cannot see. */
export function permissionDenied(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { name: 'PERMISSION_DENIED', retryPolicy: 'NO_RETRY' } });
}

/** ASSUMED: a transient failure behind the API; any retryPolicy but NO_RETRY means "retry later". */
export function temporarilyUnavailable(): GraphQLError {
  return new GraphQLError('The service is temporarily unavailable, please retry later', {
    extensions: { name: 'UNAVAILABLE', retryPolicy: 'RETRY' },
  });
}

/** The article's key order: message, path, locations, extensions. */
export function formatFieldError(error: GraphQLError): Record<string, unknown> {
  return {
    message: error.message,
    ...(error.path ? { path: error.path } : {}),
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.extensions && Object.keys(error.extensions).length > 0 ? { extensions: error.extensions } : {}),
  };
}
