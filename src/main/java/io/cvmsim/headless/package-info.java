/**
 * cvmsim without a web server: {@link io.cvmsim.headless.HeadlessEnvironmentPostProcessor} decides
 * it before the context exists, {@link io.cvmsim.headless.HeadlessRun} runs a scenario, a sweep (or
 * shard) or a merge, and the process exits with 0, 1 or 2 ({@link
 * io.cvmsim.headless.HeadlessMode}).
 */
package io.cvmsim.headless;
