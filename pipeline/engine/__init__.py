"""The build engine: plan against the cache, run the work in pools of workers, write outputs."""
