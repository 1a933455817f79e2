package com.imageretrieval.analysis;

import com.imageretrieval.index.ImageRecord;
import java.util.List;

/**
 * Images linked by a chain of near-identical pairs (cosine similarity {@code >=} the threshold) or identical bytes.
 *
 * @param exact   true if every member has the same content hash: byte-identical files
 * @param sha256  that hash when {@code exact}, else null
 * @param members ordered by path; the first is the one the similarities are measured against
 */
public record DuplicateGroup(boolean exact, String sha256, List<Member> members) {

    public DuplicateGroup {
        members = List.copyOf(members);
    }

    /**
     * @param image      the image
     * @param similarity cosine similarity to the group's first member (its own, about 1, for the first)
     * @param identical  true if another member of the group has the same content hash (a byte-identical copy)
     */
    public record Member(ImageRecord image, float similarity, boolean identical) {
    }
}
