package com.imageretrieval.features;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the tensor to use as the image embedding in an ONNX graph, and exposes it as a graph output when it is internal.
 *
 * <p>Classification models (the ONNX Model Zoo's resnet50-v1-7 and v2-7: ... GlobalAveragePool -> Flatten -> Gemm)
 * output logits, which are specific to the 1000 ImageNet classes; retrieval wants the 2048-d pooled features before the
 * classifier. The last global average pool (GlobalAveragePool, or ReduceMean over H and W) is taken, with the
 * Flatten/Reshape/Squeeze that follows it if any. A graph whose output already is that tensor, or that has no such pool,
 * is used as it is.
 *
 * <p>CLIP-style vision encoders (Hugging Face / Xenova / Qdrant ONNX exports) output the projected embedding as
 * {@code image_embeds} next to {@code last_hidden_state}: an output of that name is always taken; without one and
 * without a pool, the first output declared with rank 2 ([N, D]), else the first output.
 *
 * @param modelBytes the model to create the session from (re-serialised only when an output was added)
 * @param outputName the output to request; never the logits when a pool exists
 * @param changed    whether an output was added
 * @param initializers names of the weights, which old models also list among the graph inputs
 */
record EmbeddingOutput(byte[] modelBytes, String outputName, boolean changed, Set<String> initializers) {

    private static final Set<String> FLATTENERS = Set.of("Flatten", "Reshape", "Squeeze");
    /** The projected embedding of a CLIP vision export. */
    static final String CLIP_OUTPUT = "image_embeds";

    /** The first graph output declared as [N, D]; the first output when no shape says so. */
    static String firstRank2Output(GraphProto graph) {
        for (ValueInfoProto out : graph.getOutputList()) {
            if (out.getType().hasTensorType() && out.getType().getTensorType().hasShape()
                    && out.getType().getTensorType().getShape().getDimCount() == 2) {
                return out.getName();
            }
        }
        return graph.getOutput(0).getName();
    }

    static EmbeddingOutput of(ModelProto model, byte[] original) {
        GraphProto graph = model.getGraph();
        Set<String> weights = new HashSet<>();
        for (TensorProto t : graph.getInitializerList()) {
            weights.add(t.getName());
        }
        for (ValueInfoProto out : graph.getOutputList()) {
            if (out.getName().equals(CLIP_OUTPUT)) {
                return new EmbeddingOutput(original, CLIP_OUTPUT, false, weights);
            }
        }
        List<NodeProto> nodes = graph.getNodeList();
        int pool = -1;
        for (int i = nodes.size() - 1; i >= 0 && pool < 0; i--) {
            if (isSpatialMean(nodes.get(i), graph)) {
                pool = i;
            }
        }
        if (pool < 0) {
            return new EmbeddingOutput(original, firstRank2Output(graph), false, weights);
        }
        String pooled = nodes.get(pool).getOutput(0);
        String feature = pooled;
        for (int i = pool + 1; i < nodes.size(); i++) {
            NodeProto n = nodes.get(i);
            if (FLATTENERS.contains(n.getOpType()) && n.getInputCount() > 0 && n.getInput(0).equals(pooled)) {
                feature = n.getOutput(0);
                break;
            }
        }
        for (ValueInfoProto out : graph.getOutputList()) {
            if (out.getName().equals(feature) || out.getName().equals(pooled)) {
                return new EmbeddingOutput(original, out.getName(), false, weights);
            }
        }
        ValueInfoProto added = ValueInfoProto.newBuilder().setName(feature)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT.getNumber())))
                .build();
        ModelProto exposed = model.toBuilder().setGraph(graph.toBuilder().addOutput(added)).build();
        return new EmbeddingOutput(exposed.toByteArray(), feature, true, weights);
    }

    /** GlobalAveragePool, or ReduceMean whose axes (attribute, or constant second input since opset 18) are {2,3}. */
    private static boolean isSpatialMean(NodeProto n, GraphProto graph) {
        if (n.getOpType().equals("GlobalAveragePool")) {
            return true;
        }
        if (!n.getOpType().equals("ReduceMean")) {
            return false;
        }
        Set<Long> axes = new HashSet<>();
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals("axes")) {
                axes.addAll(a.getIntsList());
            }
        }
        if (axes.isEmpty() && n.getInputCount() > 1) {
            for (TensorProto t : graph.getInitializerList()) {
                if (t.getName().equals(n.getInput(1))) {
                    axes.addAll(t.getInt64DataList());
                    if (axes.isEmpty() && !t.getRawData().isEmpty()) {
                        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer()
                                .order(ByteOrder.LITTLE_ENDIAN);
                        while (raw.remaining() >= 8) {
                            axes.add(raw.getLong());
                        }
                    }
                }
            }
        }
        // rank-4 NCHW: H and W are 2,3 or -2,-1
        return axes.size() == 2 && (axes.containsAll(Set.of(2L, 3L)) || axes.containsAll(Set.of(-2L, -1L)));
    }
}
