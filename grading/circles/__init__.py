"""Study circles: members, meetings, attendance, the study rules, group work and the group quiz."""
