/* ipproto.c - names of the protocols a packet can carry: the keywords of
 * IANA's Assigned Internet Protocol Numbers registry, as one token each.
 * Two differ from the registry on purpose: 58 keeps the `ICMPv6` the JSON
 * contract has always used (IANA: IPv6-ICMP), and 89 is `OSPF` as users
 * know it (IANA: OSPFIGP). Numbers without a keyword are `IP-<n>`.
 */
#include "decode/decode.h"

#define UNNAMED(n) [n] = "IP-" #n

static const char *const ip_protocols[256] = {
	[0] = "HOPOPT",       [1] = "ICMP",          [2] = "IGMP",        [3] = "GGP",
	[4] = "IPv4",         [5] = "ST",            [6] = "TCP",         [7] = "CBT",
	[8] = "EGP",          [9] = "IGP",           [10] = "BBN-RCC-MON", [11] = "NVP-II",
	[12] = "PUP",         [13] = "ARGUS",        [14] = "EMCON",      [15] = "XNET",
	[16] = "CHAOS",       [17] = "UDP",          [18] = "MUX",        [19] = "DCN-MEAS",
	[20] = "HMP",         [21] = "PRM",          [22] = "XNS-IDP",    [23] = "TRUNK-1",
	[24] = "TRUNK-2",     [25] = "LEAF-1",       [26] = "LEAF-2",     [27] = "RDP",
	[28] = "IRTP",        [29] = "ISO-TP4",      [30] = "NETBLT",     [31] = "MFE-NSP",
	[32] = "MERIT-INP",   [33] = "DCCP",         [34] = "3PC",        [35] = "IDPR",
	[36] = "XTP",         [37] = "DDP",          [38] = "IDPR-CMTP",  [39] = "TP++",
	[40] = "IL",          [41] = "IPv6",         [42] = "SDRP",       [43] = "IPv6-Route",
	[44] = "IPv6-Frag",   [45] = "IDRP",         [46] = "RSVP",       [47] = "GRE",
	[48] = "DSR",         [49] = "BNA",          [50] = "ESP",        [51] = "AH",
	[52] = "I-NLSP",      [53] = "SWIPE",        [54] = "NARP",       [55] = "Min-IPv4",
	[56] = "TLSP",        [57] = "SKIP",         [58] = "ICMPv6",     [59] = "IPv6-NoNxt",
	[60] = "IPv6-Opts",   UNNAMED(61),           [62] = "CFTP",       UNNAMED(63),
	[64] = "SAT-EXPAK",   [65] = "KRYPTOLAN",    [66] = "RVD",        [67] = "IPPC",
	UNNAMED(68),          [69] = "SAT-MON",      [70] = "VISA",       [71] = "IPCV",
	[72] = "CPNX",        [73] = "CPHB",         [74] = "WSN",        [75] = "PVP",
	[76] = "BR-SAT-MON",  [77] = "SUN-ND",       [78] = "WB-MON",     [79] = "WB-EXPAK",
	[80] = "ISO-IP",      [81] = "VMTP",         [82] = "SECURE-VMTP", [83] = "VINES",
	[84] = "TTP",         [85] = "NSFNET-IGP",   [86] = "DGP",        [87] = "TCF",
	[88] = "EIGRP",       [89] = "OSPF",         [90] = "Sprite-RPC", [91] = "LARP",
	[92] = "MTP",         [93] = "AX.25",        [94] = "IPIP",       [95] = "MICP",
	[96] = "SCC-SP",      [97] = "ETHERIP",      [98] = "ENCAP",      UNNAMED(99),
	[100] = "GMTP",       [101] = "IFMP",        [102] = "PNNI",      [103] = "PIM",
	[104] = "ARIS",       [105] = "SCPS",        [106] = "QNX",       [107] = "A/N",
	[108] = "IPComp",     [109] = "SNP",         [110] = "Compaq-Peer", [111] = "IPX-in-IP",
	[112] = "VRRP",       [113] = "PGM",         UNNAMED(114),        [115] = "L2TP",
	[116] = "DDX",        [117] = "IATP",        [118] = "STP",       [119] = "SRP",
	[120] = "UTI",        [121] = "SMP",         [122] = "SM",        [123] = "PTP",
	[124] = "ISIS",       [125] = "FIRE",        [126] = "CRTP",      [127] = "CRUDP",
	[128] = "SSCOPMCE",   [129] = "IPLT",        [130] = "SPS",       [131] = "PIPE",
	[132] = "SCTP",       [133] = "FC",          [134] = "RSVP-E2E-IGNORE",
	[135] = "Mobility-Header", [136] = "UDPLite", [137] = "MPLS-in-IP", [138] = "manet",
	[139] = "HIP",        [140] = "Shim6",       [141] = "WESP",      [142] = "ROHC",
	[143] = "Ethernet",   [144] = "AGGFRAG",     [145] = "NSH",
	UNNAMED(146), UNNAMED(147), UNNAMED(148), UNNAMED(149), UNNAMED(150), UNNAMED(151),
	UNNAMED(152), UNNAMED(153), UNNAMED(154), UNNAMED(155), UNNAMED(156), UNNAMED(157),
	UNNAMED(158), UNNAMED(159), UNNAMED(160), UNNAMED(161), UNNAMED(162), UNNAMED(163),
	UNNAMED(164), UNNAMED(165), UNNAMED(166), UNNAMED(167), UNNAMED(168), UNNAMED(169),
	UNNAMED(170), UNNAMED(171), UNNAMED(172), UNNAMED(173), UNNAMED(174), UNNAMED(175),
	UNNAMED(176), UNNAMED(177), UNNAMED(178), UNNAMED(179), UNNAMED(180), UNNAMED(181),
	UNNAMED(182), UNNAMED(183), UNNAMED(184), UNNAMED(185), UNNAMED(186), UNNAMED(187),
	UNNAMED(188), UNNAMED(189), UNNAMED(190), UNNAMED(191), UNNAMED(192), UNNAMED(193),
	UNNAMED(194), UNNAMED(195), UNNAMED(196), UNNAMED(197), UNNAMED(198), UNNAMED(199),
	UNNAMED(200), UNNAMED(201), UNNAMED(202), UNNAMED(203), UNNAMED(204), UNNAMED(205),
	UNNAMED(206), UNNAMED(207), UNNAMED(208), UNNAMED(209), UNNAMED(210), UNNAMED(211),
	UNNAMED(212), UNNAMED(213), UNNAMED(214), UNNAMED(215), UNNAMED(216), UNNAMED(217),
	UNNAMED(218), UNNAMED(219), UNNAMED(220), UNNAMED(221), UNNAMED(222), UNNAMED(223),
	UNNAMED(224), UNNAMED(225), UNNAMED(226), UNNAMED(227), UNNAMED(228), UNNAMED(229),
	UNNAMED(230), UNNAMED(231), UNNAMED(232), UNNAMED(233), UNNAMED(234), UNNAMED(235),
	UNNAMED(236), UNNAMED(237), UNNAMED(238), UNNAMED(239), UNNAMED(240), UNNAMED(241),
	UNNAMED(242), UNNAMED(243), UNNAMED(244), UNNAMED(245), UNNAMED(246), UNNAMED(247),
	UNNAMED(248), UNNAMED(249), UNNAMED(250), UNNAMED(251), UNNAMED(252), UNNAMED(253),
	UNNAMED(254), UNNAMED(255),
};

const char *decode_proto_name(uint16_t l4)
{
	if (l4 == L4_ARP)
		return "ARP";
	return l4 < 256 ? ip_protocols[l4] : "?";
}

bool decode_proto_has_ports(uint16_t l4)
{
	switch (l4) {
	case L4_TCP:
	case L4_UDP:
	case L4_SCTP:
	case L4_DCCP:
	case L4_UDPLITE:
		return true;
	default:
		return false;
	}
}
