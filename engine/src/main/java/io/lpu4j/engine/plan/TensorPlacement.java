package io.lpu4j.engine.plan;

/**
 * Where rows [rowFrom, rowTo) of one tensor live: a shard, an offset, and the F32 scales right after
 * the codes. Offsets are 64-byte aligned; rows are laid out as {@code kernel.RowLayout} says.
 *
 * @param layer decoder layer, or -1 for embedding, final norm and lm_head
 */
public record TensorPlacement(String tensor, StorageType storage, int rows, int cols, int rowFrom, int rowTo,
                              int layer, int shard, long offset, long dataBytes, long scalesOffset,
                              long scalesBytes) {

    public int rowCount() {
        return rowTo - rowFrom;
    }

    /** True if this placement holds only some of the tensor's rows. */
    public boolean isPartial() {
        return rowFrom != 0 || rowTo != rows;
    }
}
