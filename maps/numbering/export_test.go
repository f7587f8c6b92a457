package numbering

// PlanWith is planNumbers for the external benchmarks, which compare the
// lane grid with trying every lane.
var PlanWith = planNumbers
