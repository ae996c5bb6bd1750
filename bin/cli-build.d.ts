export declare const ROOT: string;
export declare const CLI_DIST: string;
export declare const STAMP_NAME: string;
/** A digest of every source file's path, size and modification time. */
export declare function sourcesStamp(root?: string): string;
/** True when dist/cli was built from exactly the sources on disk. */
export declare function cliBuildIsFresh(root?: string): boolean;
