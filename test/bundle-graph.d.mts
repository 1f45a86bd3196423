export declare const gz: (path: string) => number;
export declare const gzConcat: (paths: string[]) => number;
export declare function graph(path: string, seen?: Set<string>): { statics: Set<string>; dynamics: Set<string> };
export declare function checkoutFrameFiles(root: string): string[];
