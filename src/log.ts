// The log is for people. Modules log through this interface; index.ts hands in @actions/core.
export interface Log {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  group<T>(title: string, body: () => Promise<T>): Promise<T>;
}
