// Errors shaped like GitHub's: {message, documentation_url, status} (+ errors[] for 422).

export const DOCS = 'https://docs.github.com/rest';

export interface ValidationErrorItem {
  resource: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  field?: string;
  value?: unknown;
  message?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentationUrl: string = DOCS,
    readonly errors?: ValidationErrorItem[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): Record<string, unknown> {
    return {
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      documentation_url: this.documentationUrl,
      status: String(this.status),
    };
  }
}

export function notFound(documentationUrl: string = DOCS): ApiError {
  return new ApiError(404, 'Not Found', documentationUrl);
}

/** 422 with GitHub's generic message for a body that breaks the request schema. */
export function invalidRequest(detail: string, documentationUrl: string = DOCS): ApiError {
  return new ApiError(422, `Invalid request.\n\n${detail}`, documentationUrl);
}

/** 422 "Validation Failed" with an errors array, as GitHub answers model validation. */
export function validationFailed(errors: ValidationErrorItem[], documentationUrl: string = DOCS): ApiError {
  return new ApiError(422, 'Validation Failed', documentationUrl, errors);
}

export function unprocessable(message: string, documentationUrl: string = DOCS): ApiError {
  return new ApiError(422, message, documentationUrl);
}
