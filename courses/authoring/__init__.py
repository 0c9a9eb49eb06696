"""Course authoring for trainers: courses, modules, lessons, lesson media; publishing."""
