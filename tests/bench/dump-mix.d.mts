/** Types of dump-mix.mjs (plain JS so that bench.mjs runs without a build step). */
export declare const MiB: number;
export declare const PLANT_AT: number;
export declare function mixBlock(): Buffer;
