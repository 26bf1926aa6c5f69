# wiretop in a container.
#
#   docker build -t wiretop .
#   docker run --rm -it --net=host --cap-add=NET_RAW --cap-add=NET_ADMIN wiretop
#   docker run --rm --net=host --cap-add=NET_RAW --cap-add=NET_ADMIN wiretop -i eth0 --json --duration 10
#   docker run --rm -v "$PWD:/data:ro" wiretop --read /data/trace.pcap --json
#
# --net=host shows the host's interfaces and connections; add --pid=host so
# that process attribution can name the host's processes. The image is built
# without eBPF (NO_BPF=1): attribution uses sock_diag or /proc.

FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        build-essential pkg-config libpcap-dev libncurses-dev libssl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make -j"$(nproc)" NO_BPF=1 \
 && make NO_BPF=1 install PREFIX=/usr DESTDIR=/out

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpcap0.8 libncursesw6 libtinfo6 libssl3 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/usr/ /usr/
ENV TERM=xterm-256color LANG=C.UTF-8
ENTRYPOINT ["/usr/bin/wiretop"]
