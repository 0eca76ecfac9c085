"""Running checked rulesets over data, and writing what comes out.

- `engines`: the engines (Polars today; `engine="polars"`) and the job they run;
- `runner`: a job run and written atomically, with what a summary needs;
- `slices`, `councils`: the strategies an engine combines (households a
  slice at a time; each council's households by its own local ruleset);
- `atomic`: every file tfrules writes goes through it;
- `outputs`, `inputs`: outputs that would overwrite an input, and data files
  that cannot be read, refused before anything is computed;
- `local_rules`: the local rulesets of a multi-council run, found and held to
  the run's national ruleset.

Nothing is imported here, so that `tfrules.run.atomic` stays light to import.
"""
