"""What the assistant knows: the corpus of policy documents and the structured facts, claims, figures,
places and eligibility rules drawn from them (by rule or by a model), and the files that hold those facts."""
