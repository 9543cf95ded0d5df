package io.lpu4j.engine.exec;

/** Token ids → embedding rows (dequantized to F32) → residual stream; tokens dealt round-robin. */
final class EmbedStep extends Step {
    private final PiecedMatrix embedding;
    private final int workers;

    EmbedStep(Workspace ws, PiecedMatrix embedding) {
        super(ws);
        this.embedding = embedding;
        this.workers = ws.workers.length;
    }

    @Override
    void run(int worker, Pass pass) {
        for (int t = worker; t < pass.count; t += workers) {
            embedding.readRow(pass.tokens[t], ws.residual.data(), (long) t * ws.residual.stride());
        }
    }
}
