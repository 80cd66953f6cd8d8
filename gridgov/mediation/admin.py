"""No admin pages for mediation, on purpose: mediation files are need-to-know (the assigned
mediators, the committee, the judicial office; ADR 0016), and the administrators are not among
them. Cases change only through their actions."""
