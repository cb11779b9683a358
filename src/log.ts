// The log is for people. Modules log through this interface; index.ts hands in @actions/core.
export interface Log {
  info(message: string): void;
  /** `title` makes it an annotation with that title on the run's summary page. */
  warning(message: string, title?: string): void;
  error(message: string, title?: string): void;
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
}
