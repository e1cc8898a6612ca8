package dev.archipelago.testcluster;

/**
 * Shape of a simulated GPU node pool, labelled the way a GKE node pool is.
 *
 * @param name pool name, the value of {@link GpuNodePools#POOL_LABEL}
 * @param nodes number of nodes
 * @param gpusPerNode allocatable {@code nvidia.com/gpu} per node
 * @param cpu allocatable CPU per node (a quantity)
 * @param memory allocatable memory per node (a quantity)
 * @param instanceType value of {@code node.kubernetes.io/instance-type}
 * @param zone value of {@code topology.kubernetes.io/zone}
 */
public record GpuNodePool(
    String name,
    int nodes,
    int gpusPerNode,
    String cpu,
    String memory,
    String instanceType,
    String zone) {

  /** A pool of {@code nodes} 8-GPU machines. */
  public static GpuNodePool of(String name, int nodes) {
    return new GpuNodePool(name, nodes, 8, "96", "1000Gi", "a3-highgpu-8g", "us-central1-a");
  }

  public GpuNodePool withGpusPerNode(int gpus) {
    return new GpuNodePool(name, nodes, gpus, cpu, memory, instanceType, zone);
  }

  public GpuNodePool withZone(String newZone) {
    return new GpuNodePool(name, nodes, gpusPerNode, cpu, memory, instanceType, newZone);
  }
}
