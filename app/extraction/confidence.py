"""How sure the extractor is of each reading, by name.

A claim's confidence is its frame's (how clear the grammar was) times the link's
(how sure the source resolution was). Sorting claims by confidence ascending
puts first the readings a reviewer should look at.
"""

# Frames
MARKED = 0.9
"""A cue with "that", a colon or a quote after it; a post-posed "..., X said."; "according to X"."""
UNMARKED = 0.85
"""A pre-posed cue with its content straight after it: "X said the talks failed"."""
ASIDE = 0.8
"""A frame inside the claim ("The plan would, according to X, include ..."), a
relative speaker (", who said ..."), a continuation after a post-posed frame."""
SHARED_SUBJECT = 0.75
"""A cue whose subject opens the sentence: "The union rejected the offer and insisted that"."""
PASSIVE = 0.75
""" "it is asserted by the Crown that ...": a cue in the passive and its agent."""
NOMINAL = 0.75
""" "his warning that ...": a noun of speech and its possessor."""
PARTICIPLE = 0.75
""" "The union sued, vowing to fight on": the participle's subject is the sentence's."""
CONTINUATION_STEP = 0.05
"""Each "..., adding that" is this much less sure than the frame it continues."""

# Links from a frame to its source
SAME_SENTENCE_SOURCE = 0.9
"""A frame with no mention of its own takes the previous frame's source."""
COMPANY_BACK = 0.75
""" "the company said": the company the narrative named."""

# Claims the driver makes without a frame of their own
QUOTE_OF_CHAIN = 0.85
"""A quote piece whose quote chain has a speaker."""
QUOTE_OF_PREVIOUS_SPEAKER = 0.7
"""A quote piece with the speaker of the quote a sentence or two before."""
LEFTOVER_QUOTE = 0.8
""" "“A,” he said, “B.”": the quote outside the frame's content, same speaker."""
ORPHAN_QUOTE = 0.3
"""A quote no speaker could be found for."""
NARRATION = 0.9
"""The article's own statement."""
DOUBTFUL_NARRATION = 0.6
"""The article's own, but with a cue word the grammar could not use, or a
title-case headline whose "says" has no named source."""
INTRODUCED_QUOTE = 0.7
""" "X defended his decision, “…”": a quote handed over by a verb that is no cue."""
LEAD = 0.7
""" "A happened, and officials warned that B": A, the article's."""
